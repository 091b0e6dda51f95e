import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdWSClient
import Informer
import KubeSim
import Logging
import Server
import Store
import Synchronization
import Testing

/// kubeluma as a user runs it, minus the CLI: the simulated cluster on loopback, a real SQLite
/// cache in a temporary folder, real informers over libcurl, the real server on a free port.
struct Harness: Sendable {
    let simulator: Simulator
    let base: URL
    let informers: [Informer]

    static func run(pods: Int = 80, metrics: Bool = true, pattern: String? = nil, accessToken: String? = nil,
                    _ body: @Sendable (Harness) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var config = SimulatorConfiguration()
        config.pods = pods
        config.tls = false
        config.churnPerSecond = 0
        config.metricsEnabled = metrics
        let simulator = try Simulator(configuration: config, logger: logger)
        let dir = FileManager.default.temporaryDirectory.appending(path: "kubeluma-server-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            let simURL = await simulator.url()
            let cache = try ClusterCache.open(CacheConfiguration(path: dir.appending(path: "cache.sqlite").path))
            let transport = CurlTransport(logger: logger)
            defer { transport.shutdown() }
            let client = KubeClient(connection: ClusterConnection(server: simURL, credentials: .token(config.token)),
                                    transport: transport, logger: logger)
            let informers = [
                Informer(collection: .pods, namespace: nil, client: client, store: cache, logger: logger),
                Informer(collection: .eventsV1, namespace: nil, client: client, store: cache, logger: logger),
            ]
            let kubeluma = buildApplication(
                configuration: ServerConfiguration(host: "127.0.0.1", port: 0, initialPattern: pattern,
                                                   metricsInterval: .seconds(1), accessToken: accessToken, logger: logger),
                cache: cache, client: client, informers: informers, namespace: nil)
            group.addTask { try await kubeluma.application.run() }
            let base = try #require(await kubeluma.boundURL())
            // Wait for the first sync: the informers say so.
            for informer in informers {
                for await health in informer.healthUpdates() where health.synced { break }
            }
            defer { group.cancelAll() }
            try await body(Harness(simulator: simulator, base: base, informers: informers))
        }
    }

    var origin: String { String(base.absoluteString.dropLast()) }

    func post(_ path: String, _ body: String, origin: String? = nil, host: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: base.appending(path: path))
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        if let origin { request.setValue(origin, forHTTPHeaderField: "Origin") }
        if let host { request.setValue(host, forHTTPHeaderField: "Host") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? ["raw": String(decoding: data, as: UTF8.self)]
        return ((response as! HTTPURLResponse).statusCode, json)
    }

    func get(_ path: String, host: String? = nil) async throws -> (Int, String, [String: String]) {
        var request = URLRequest(url: base.appending(path: path))
        if let host { request.setValue(host, forHTTPHeaderField: "Host") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, String(decoding: data, as: UTF8.self), headers)
    }

    /// A WebSocket client that records every message; tests wait for the one they expect.
    func socket(_ body: @Sendable (TestSocket) async throws -> Void) async throws {
        let socket = TestSocket()
        let url = base.absoluteString.replacingOccurrences(of: "http://", with: "ws://") + "ws"
        // The client sends an Origin of its own (the server's scheme, host and port).
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        let logger: Logger = {
            var l = Logger(label: "ws")
            l.logLevel = .warning
            return l
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { inner in
                        inner.addTask {
                            for await text in socket.toSend { try await outbound.write(.text(text)) }
                        }
                        for try await message in inbound.messages(maxSize: 16 << 20) {
                            if case .text(let text) = message { socket.received(text) }
                        }
                        inner.cancelAll()
                    }
                }
            }
            defer { socket.close(); group.cancelAll() }
            try await body(socket)
        }
    }
}

final class TestSocket: Sendable {
    let toSend: AsyncStream<String>
    private let sender: AsyncStream<String>.Continuation
    /// Raw texts (Sendable); parsed when read.
    private let inbox = Mutex<(messages: [String], waiters: [CheckedContinuation<Void, Never>])>(([], []))

    init() { (toSend, sender) = AsyncStream.makeStream() }

    func send(_ object: [String: Any]) {
        sender.yield(String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }
    func sendRaw(_ text: String) { sender.yield(text) }
    func close() { sender.finish() }

    func received(_ text: String) {
        let waiters = inbox.withLock { box -> [CheckedContinuation<Void, Never>] in
            box.messages.append(text)
            defer { box.waiters.removeAll() }
            return box.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var texts: [String] { inbox.withLock { $0.messages } }

    var messages: [[String: Any]] {
        inbox.withLock { $0.messages }.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
    }

    /// The first message (after `after` already seen) matching `predicate`, waiting for it
    /// to arrive; fails after `timeout`.
    func next(after: Int = 0, timeout: Duration = .seconds(10), _ predicate: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var checked = after
        while true {
            let current = messages
            if let found = current[checked...].first(where: predicate) { return found }
            checked = current.count
            guard ContinuousClock.now < deadline else {
                throw TestTimeout(description: "no matching message in \(timeout); last: \(current.suffix(3).map { "\($0["type"] ?? "?")" })")
            }
            // Woken by the next message, or by the deadline's tick.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await withCheckedContinuation { c in self.inbox.withLock { $0.waiters.append(c) } } }
                group.addTask { try? await Task.sleep(for: .milliseconds(200)) }
                await group.next()
                group.cancelAll()
                let stale = self.inbox.withLock { box in defer { box.waiters.removeAll() }; return box.waiters }
                for waiter in stale { waiter.resume() }
            }
        }
    }
}

struct TestTimeout: Error, CustomStringConvertible { var description: String }

extension Dictionary where Key == String, Value == Any {
    var type: String? { self["type"] as? String }
    var data: [String: Any]? { self["data"] as? [String: Any] }
}
