import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import Informer
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Everything `kubeluma serve` runs, assembled in one place; the CLI only parses arguments and
/// calls this, and tests call it too.
public struct Kubeluma: Sendable {
    public let application: Application<RouterResponder<BasicWebSocketRequestContext>>
    /// The URL actually served, once listening; nil if the server stopped before it listened
    /// (after `serverStopped()`).
    public let boundURL: @Sendable () async -> URL?
    let bound: BoundAddress
    let hub: Hub

    public var sessionCount: Int { hub.sessionCount }

    /// Ends any wait for `boundURL` (the server failed to start, e.g. the port is taken).
    public func serverStopped() { bound.stop() }
}

/// Builds the HTTP + WebSocket application over a cache that informers keep current.
/// - Parameters:
///   - informers: run as services alongside the server; their health feeds `/healthz` and the
///     stale/synced flags of `pods` messages.
public func buildApplication(configuration: ServerConfiguration, cache: ClusterCache, client: KubeClient,
                             informers: [Informer], namespace: String?,
                             extraServices: [any Service] = []) -> Kubeluma {
    let logger = configuration.logger
    let pattern = PatternState(initial: configuration.initialPattern)
    let status: @Sendable () -> ClusterStatus = { ClusterStatus(informers: informers.map(\.health), namespace: namespace) }
    let logs = LogStreams(client: client, cache: cache, logger: logger)
    let metrics = MetricsPoller(client: client, cache: cache, interval: configuration.metricsInterval, logger: logger)
    let hub = Hub(cache: cache, pattern: pattern, status: status, logs: logs, metrics: metrics, logger: logger,
                  healthUpdates: informers.map { informer in { informer.healthUpdates() } })
    let bound = BoundAddress()

    let router = Router(context: BasicWebSocketRequestContext.self)
    let host = configuration.host
    router.middlewares.add(SecurityMiddleware(
        allowedHosts: { bound.allowedHosts(configuredHost: host) }, accessToken: configuration.accessToken))
    APIRoutes(hub: hub, status: status).add(to: router)
    router.ws("/ws") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
        let session = hub.connect()
        defer { hub.disconnect(session) }
        // On Ctrl-C the HTTP server waits for its connections to end: each socket's handler
        // ends (the library then sends the close frame; the page shows it is disconnected)
        // instead of waiting for the browser to leave, which would hold the shutdown forever.
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in session.wakeups {
                        while let item = session.nextOutgoing() {
                            switch item {
                            case .text(let text):
                                try await outbound.write(.text(text))
                            case .pods(let head, let rows):
                                try await outbound.write(.custom(WebSocketFrame(fin: false, opcode: .text, data: ByteBuffer(string: head))))
                                try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .continuation, data: rows)))
                            }
                        }
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        switch message {
                        case .text(let text): await hub.receive(text, from: session)
                        case .binary: hub.sendError("binary frames are not understood: send JSON text", to: session)
                        }
                    }
                }
                // Either side ending (the client left, or the session was closed) ends both.
                _ = try await group.next()
                group.cancelAll()
            }
        }
        session.close()
    }
    router.get("/") { request, _ -> Response in
        StaticFiles.response(for: "/") ?? Response(status: .notFound)
    }
    router.get("/**") { request, _ -> Response in
        StaticFiles.response(for: request.uri.path) ?? Response(status: .notFound)
    }

    let app = Application(
        router: router,
                // A client that does not answer the close handshake holds a shutdown this long at most.
        server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(maxFrameSize: 1 << 16, closeTimeout: .seconds(2))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: informers.map { InformerService(informer: $0) } + [hub] + extraServices,
        onServerRunning: { channel in
            bound.set(host: configuration.host, port: channel.localAddress?.port ?? configuration.port)
        },
        logger: logger)
    return Kubeluma(application: app, boundURL: { await bound.url() }, bound: bound, hub: hub)
}

/// Runs an informer under the service group.
struct InformerService: Service {
    let informer: Informer
    func run() async throws {
        await cancelWhenGracefulShutdown { await informer.run() }
    }
}

/// The address the server bound (`--port 0` picks one), for the Host check and the printed URL.
final class BoundAddress: Sendable {
    private let state = Mutex<(host: String, port: Int)?>(nil)
    private let waiters = Mutex<[CheckedContinuation<URL?, Never>]>([])
    private let stopped = Mutex(false)

    func set(host: String, port: Int) {
        state.withLock { $0 = (host, port) }
        let url = Self.url(host: host, port: port)
        for waiter in waiters.withLock({ w in defer { w.removeAll() }; return w }) { waiter.resume(returning: url) }
    }

    func stop() {
        stopped.withLock { $0 = true }
        for waiter in waiters.withLock({ w in defer { w.removeAll() }; return w }) { waiter.resume(returning: nil) }
    }

    static func url(host: String, port: Int) -> URL {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(port)/")!
    }

    func url() async -> URL? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { $0.map { Self.url(host: $0.host, port: $0.port) } }
            if let ready { continuation.resume(returning: ready); return }
            if stopped.withLock({ $0 }) { continuation.resume(returning: nil); return }
            waiters.withLock { $0.append(continuation) }
            // Re-check: the server may have started or stopped between the locks.
            let late = state.withLock { $0.map { Self.url(host: $0.host, port: $0.port) } }
            if late != nil || stopped.withLock({ $0 }), let waiter = waiters.withLock({ w in w.isEmpty ? nil : w.removeFirst() }) {
                waiter.resume(returning: late)
            }
        }
    }

    /// Host names a browser may use for the bound address.
    func allowedHosts(configuredHost: String) -> Set<String> {
        guard let (host, _) = state.withLock({ $0 }) else { return [] }
        var names: Set<String> = [host.lowercased(), configuredHost.lowercased()]
        if ServerConfiguration.isLoopback(host) { names.formUnion(["localhost", "127.0.0.1", "[::1]"]) }
        if host == "0.0.0.0" || host == "::" { names.formUnion(["localhost", "127.0.0.1"]) }
        return names
    }
}
