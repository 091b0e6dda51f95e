import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import NIOCore
import ServiceLifecycle
import Synchronization

/// The simulated Kubernetes API server: a real HTTP server on loopback over an in-memory
/// cluster (see `Cluster`), generated from a seed (`Scenario`), with churn, fault injection and
/// a request log. Run it as a `Service`; `url()` waits until it is listening.
///
/// It shares no code with kubeluma's client side, so a misunderstanding of Kubernetes cannot
/// hide in both; each is held against the real server's captures instead.
public final class Simulator: Service, Sendable {
    public let configuration: SimulatorConfiguration
    let cluster: Cluster
    let scenario: Scenario
    let requestLog = RequestLog()
    let faults = Faults()
    let listener = ListenerSwitch()
    private let boundAddress = Mutex<(host: String, port: Int)?>(nil)
    private let waiters = Mutex<[CheckedContinuation<URL, Never>]>([])
    private let logger: Logger
    /// The generated CA and certificates, when serving TLS.
    public let tls: TLSMaterial?

    /// - Parameter now: the cluster's clock (object timestamps, ages, event TTL, log times).
    public init(configuration: SimulatorConfiguration, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "kubeluma.sim")) throws {
        self.configuration = configuration
        if configuration.tls {
            let directory = configuration.tlsDirectory ?? FileManager.default.temporaryDirectory
                .appending(path: "kubeluma-sim-tls-\(UUID().uuidString)")
            self.tls = try TLSMaterial.generate(in: directory, user: configuration.userName)
        } else {
            self.tls = nil
        }
        self.cluster = Cluster(now: now, historyLimit: configuration.historyLimit,
                               continueTokenTTL: configuration.continueTokenTTL, eventTTL: configuration.eventTTL,
                               bookmarkInterval: configuration.bookmarkInterval, watcherBuffer: configuration.watcherBuffer)
        self.scenario = Scenario(cluster: cluster, configuration: configuration)
        self.logger = logger
        scenario.populate()
    }

    /// Serves until cancelled or shut down gracefully. While a test has the listener closed
    /// (`stopAccepting`), the port refuses connections; `startAccepting` serves again on the
    /// same port with the cluster's state kept.
    public func run() async throws {
        var failedRebinds = 0
        while true {
            // The outer service group's graceful shutdown must also end a closed-listener wait.
            try? await cancelWhenGracefulShutdown { await self.listener.wait(until: .wanted(true)) }
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            do {
                guard try await serveUntilClosed() else { return }
                failedRebinds = 0
            } catch where listener.starts > 0 && failedRebinds < 50 && !Task.isCancelled {
                // Listening again can find the port briefly taken, e.g. by a client's outgoing
                // connection that was given it as its own port while the port was free.
                failedRebinds += 1
                logger.warning("could not listen again; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Runs the HTTP server until it ends (returns false) or a test closes the listener
    /// (returns true, after the port and every connection are closed).
    private func serveUntilClosed() async throws -> Bool {
        let connections = OpenConnections()
        let app = try makeApplication(connections: connections)
        let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await app.run()
                return false
            }
            group.addTask {
                await self.listener.wait(until: .wanted(false))
                guard !Task.isCancelled else { return false }
                // The server's loop ends by itself once its socket and connections are closed
                // and every handler has returned: the watches' handlers wait for frames, so
                // they are ended here, as a stopped apiserver's watchers are.
                self.cluster.dropAllWatches()
                connections.closeAll()
                return true
            }
            let first = try await group.next() ?? false
            if !first { group.cancelAll() }
            // The application reports its server's end as an unexpected finish: expected here.
            while let _ = try? await group.next() {}
            return first
        }
        if closed { logger.info("simulated cluster stopped accepting connections") }
        listener.set(listening: false)
        return closed
    }

    private func makeApplication(connections: OpenConnections) throws -> some ApplicationProtocol {
        let responder = SimulatorResponder(
            simulator: self,
            serverAddress: { [self] in boundAddress.withLock { a in a.map { "\($0.host):\($0.port)" } ?? "" } })
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [connections.tracker()]))
        let server: HTTPServerBuilder
        if let tls {
            var tlsConfiguration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.serverCertificate.path).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.serverKey.path, format: .pem)))
            if configuration.requireClientCertificate {
                tlsConfiguration.certificateVerification = .noHostnameVerification
                tlsConfiguration.trustRoots = .file(tls.caCertificate.path)
            }
            server = try .tls(http1, tlsConfiguration: tlsConfiguration)
        } else {
            server = http1
        }
        // Listening again after a closed spell takes the port it had, even when it was chosen
        // by the system (`--port 0`).
        let port = boundAddress.withLock { $0?.port } ?? configuration.port
        return Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: nil),
            services: [Ticker(cluster: cluster), Churn(scenario: scenario, perSecond: configuration.churnPerSecond)],
            onServerRunning: { [self] channel in
                connections.serving(on: channel)
                let port = channel.localAddress?.port ?? port
                boundAddress.withLock { $0 = (configuration.host, port) }
                let url = URL(string: "\(scheme)://\(configuration.host):\(port)")!
                logger.info("simulated cluster listening", metadata: ["url": "\(url)", "pods": "\(configuration.pods)"])
                listener.set(listening: true)
                for waiter in waiters.withLock({ w in defer { w.removeAll() }; return w }) { waiter.resume(returning: url) }
            },
            logger: logger)
    }

    /// The server's base URL, once it listens.
    public func url() async -> URL {
        await withCheckedContinuation { continuation in
            let ready: URL? = boundAddress.withLock { address in
                guard let address else { return nil }
                return URL(string: "\(scheme)://\(address.host):\(address.port)")!
            }
            if let ready { continuation.resume(returning: ready); return }
            waiters.withLock { $0.append(continuation) }
            // Re-check: the server may have started between the two locks.
            if let late = boundAddress.withLock({ a in a.map { URL(string: "\(scheme)://\($0.host):\($0.port)")! } }),
               let waiter = waiters.withLock({ w in w.isEmpty ? nil : w.removeFirst() }) {
                waiter.resume(returning: late)
            }
        }
    }

    private var scheme: String { tls == nil ? "http" : "https" }

    // MARK: Control (the same operations `/_sim/` offers over HTTP)

    public var requests: [RecordedRequest] { requestLog.all }
    public func clearRequests() { requestLog.clear() }
    public func setFaults(_ update: (inout FaultPlan) -> Void) { faults.set(update) }
    public func dropAllWatches() { cluster.dropAllWatches() }
    public func compactHistory() { cluster.compactHistory() }
    public func expireContinueTokens() { cluster.expireContinueTokens() }
    public var resourceVersion: Int { cluster.currentResourceVersion }
    public var openWatches: Int { cluster.openWatchCount }
    /// Closes the listening socket and every open connection (watches end mid-stream, new
    /// connections are refused), as when the apiserver goes away. Returns once the port is closed.
    public func stopAccepting() async {
        listener.set(wanted: false)
        await listener.wait(until: .listening(false))
    }
    /// Listens again on the same port, the cluster's state kept. Returns once it listens.
    public func startAccepting() async {
        listener.set(wanted: true)
        await listener.wait(until: .listening(true))
    }
    /// An apiserver restart with etcd's state kept: connections are cut, and the watch cache
    /// starts again from the current resourceVersion, so a watch resuming from an older one
    /// gets 410 Expired and its client relists.
    public func restart() async {
        await stopAccepting()
        cluster.compactHistory()
        await startAccepting()
    }
    /// Runs the periodic work now (bookmarks, watch deadlines, event expiry), for tests with an
    /// injected clock.
    public func tick() { cluster.tick() }

    /// Pod keys as "namespace/name", sorted.
    public var podKeys: [String] { cluster.allPods().map { $0.key.description }.sorted() }
    public var podCount: Int { cluster.state.withLock { $0.pods.count } }
    public var eventCount: Int { cluster.state.withLock { $0.events.count } }

    /// The pod's current JSON as the API serves it.
    public func podJSON(namespace: String, name: String) -> Data? {
        cluster.storedObject(.pods, ObjectKey(namespace: namespace, name: name)).map { Data($0.json(eventsAPI: false)) }
    }

    @discardableResult
    public func restartContainer(namespace: String, name: String, reason: String = "OOMKilled", exitCode: Int = 137) -> Bool {
        scenario.restartContainer(ObjectKey(namespace: namespace, name: name), reason: reason, exitCode: exitCode)
    }
    /// Rollout: the pod is deleted and a replacement appears under a new name. Returns its name.
    public func replacePod(namespace: String, name: String) -> String? {
        scenario.replace(ObjectKey(namespace: namespace, name: name))?.metadata.name
    }
    /// Deleted and re-created under the same name with a new UID. Returns the new UID.
    public func recreatePod(namespace: String, name: String) -> String? {
        scenario.recreate(ObjectKey(namespace: namespace, name: name))?.metadata.uid
    }
    public func deletePod(namespace: String, name: String) {
        cluster.commit([.deletePod(ObjectKey(namespace: namespace, name: name))])
    }
    public func churn(steps: Int) { for _ in 0..<steps { scenario.step() } }

    /// A kubeconfig that points kubectl (or kubeluma) at this server: the CA inline, and the
    /// bearer token (or, when the server requires one, the client certificate).
    public func kubeconfig(server: URL, namespace: String? = nil) throws -> String {
        func inline(_ url: URL) throws -> String { try Data(contentsOf: url).base64EncodedString() }
        var clusterLines = "    server: \(server.absoluteString)\n"
        var userLines = "    token: \(configuration.token)\n"
        if let tls {
            clusterLines += "    certificate-authority-data: \(try inline(tls.caCertificate))\n"
            if configuration.requireClientCertificate {
                userLines = "    client-certificate-data: \(try inline(tls.clientCertificate))\n"
                    + "    client-key-data: \(try inline(tls.clientKey))\n"
            }
        }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubeluma-sim
          cluster:
        \(clusterLines)users:
        - name: kubeluma-sim-user
          user:
        \(userLines)
        contexts:
        - name: kubeluma-sim
          context:
            cluster: kubeluma-sim
            user: kubeluma-sim-user
            namespace: \(namespace ?? configuration.restrictedNamespace ?? "default")
        current-context: kubeluma-sim

        """
    }
}

/// Bookmarks, watch deadlines, event TTL and continue-token expiry, a few times a second.
struct Ticker: Service {
    let cluster: Cluster
    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(200))
                cluster.tick()
            }
        }
    }
}

/// Applies the scenario's churn at the configured rate.
struct Churn: Service {
    let scenario: Scenario
    let perSecond: Double
    func run() async throws {
        guard perSecond > 0 else { try? await gracefulShutdown(); return }
        try await cancelWhenGracefulShutdown {
            // Batches of up to 100 actions per 10 ms keep high rates (the benchmark's) accurate.
            let interval = max(0.01, 1 / perSecond)
            let perTick = max(1, Int((perSecond * interval).rounded()))
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                for _ in 0..<perTick { scenario.step() }
            }
        }
    }
}
