import Foundation
import Informer
import KubeSim
import Logging

/// Runs a simulated cluster on a loopback port for the duration of `body`.
func withSimulator<T: Sendable>(_ configure: (inout SimulatorConfiguration) -> Void = { _ in },
                                _ body: @Sendable (Simulator, URL) async throws -> T) async throws -> T {
    var config = SimulatorConfiguration()
    config.churnPerSecond = 0
    config.pods = 30
    config.logLinesPerSecond = 0
    configure(&config)
    let simulator = try Simulator(configuration: config, logger: testLogger("test.sim"))
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await simulator.run()
            return nil
        }
        let url = await simulator.url()
        // The simulator serves HTTPS with its own CA: clients made for this URL trust it.
        if let ca = simulator.tls.flatMap({ FileManager.default.contents(atPath: $0.caCertificate.path) }) {
            SimulatorCAs.shared.set([UInt8](ca), for: url)
        }
        let result = try await body(simulator, url)
        group.cancelAll()
        return result
    }
}

/// The delays an informer asked to wait, recorded instead of slept (a millisecond of real
/// time keeps a misbehaving loop from spinning).
final class RecordedSleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var delays: [Duration] = []
    var all: [Duration] { lock.lock(); defer { lock.unlock() }; return delays }
    func sleep(_ d: Duration) async throws {
        lock.withLock { delays.append(d) }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// One transport for the whole test process (one curl thread, like the app).
let sharedTransport = CurlTransport()

/// The CA of each running simulator, by its URL.
final class SimulatorCAs: @unchecked Sendable {
    static let shared = SimulatorCAs()
    private let lock = NSLock()
    private var cas: [String: [UInt8]] = [:]
    func set(_ pem: [UInt8], for url: URL) { lock.withLock { cas[url.absoluteString] = pem } }
    func get(_ url: URL) -> [UInt8]? { lock.withLock { cas[url.absoluteString] } }
}

func makeClient(_ url: URL, token: String = SimulatorConfiguration().token, namespace: String = "default",
                credentials: Credentials? = nil, transport: CurlTransport = sharedTransport) -> KubeClient {
    KubeClient(connection: ClusterConnection(server: url, tls: TLSOptions(caPEM: SimulatorCAs.shared.get(url)),
                                             credentials: credentials ?? .token(token), namespace: namespace,
                                             contextName: "test"),
               transport: transport)
}

func makeInformer(_ collection: APICollection = .pods, namespace: String? = nil, client: KubeClient, store: RecordingStore,
                  sleeps: RecordedSleeps, watchList: Bool = false, fallbackNamespace: String? = nil) -> Informer {
    var options = Informer.Options()
    options.reflector.useWatchList = watchList
    options.fallbackNamespace = fallbackNamespace
    options.sleep = { try await sleeps.sleep($0) }
    return Informer(collection: collection, namespace: namespace, client: client, store: store, options: options,
                    logger: testLogger("test.informer"))
}

/// Runs the informer while `body` runs, then cancels it.
func running<T: Sendable>(_ informer: Informer, _ body: @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await informer.run()
            return nil
        }
        let result = try await body()
        group.cancelAll()
        return result
    }
}

extension Simulator {
    /// Requests to the API (not the control paths) for one collection path suffix.
    func apiRequests(_ pathSuffix: String = "/pods") -> [RecordedRequest] {
        requests.filter { !$0.path.hasPrefix("/_sim") && $0.path.hasSuffix(pathSuffix) }
    }
}

/// Silent, unless `KUBELUMA_TEST_LOG=debug` (or another level) asks for the informer's log on
/// stderr while a test is investigated.
func testLogger(_ label: String) -> Logger {
    guard let level = ProcessInfo.processInfo.environment["KUBELUMA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) else {
        return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
    var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = level
    return logger
}
