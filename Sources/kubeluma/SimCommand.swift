import ArgumentParser
import Foundation
import KubeSim
import Logging
import ServiceLifecycle

/// `kubeluma sim`: the simulated cluster on its own, with a kubeconfig for kubectl or kubeluma.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the simulated Kubernetes API server on loopback.",
        discussion: "Prints its URL on the first line of stdout, writes a kubeconfig if asked, and stops on Ctrl-C.")

    @Option(help: "Number of pods.") var pods = 200
    @Option(help: "Number of namespaces (default: about one per 200 pods, 3 to 50).") var namespaces: Int?
    @Option(help: "At least this many events at start (default: each pod's own history, about 4 per pod).") var events: Int?
    @Option(help: "Bind host.") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one).") var port = 0
    @Option(name: .customLong("kubeconfig-out"), help: "Write a kubeconfig pointing at the simulator to this file.")
    var kubeconfigOut: String?
    @Option(help: "Churn actions per second (0 = a static cluster).") var churn: Double = 1
    @Option(help: "Scenario seed.") var seed: UInt64 = 42
    @Option(help: "Only this namespace may be read; cluster-wide reads get 403.") var restricted: String?
    @Flag(name: .customLong("no-metrics"), help: "Serve no metrics.k8s.io API (404), as clusters without metrics-server.")
    var noMetrics = false
    @Flag(name: .customLong("no-watch-list"), help: "Refuse sendInitialEvents with 422, as servers without WatchList.")
    var noWatchList = false
    @Option(help: "Event TTL in seconds.") var eventTTL: Double = 3600
    @Option(help: "Log lines per second per container.") var logRate: Double = 2
    @Flag(inversion: .prefixedNo, help: "Serve HTTPS with a generated CA (kubectl sends tokens only over TLS).")
    var tls = true
    @Flag(name: .customLong("client-cert"), help: "Require a client certificate (written into the kubeconfig) instead of the token.")
    var clientCert = false
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel = "info"

    func validate() throws {
        guard pods >= 0 else { throw ValidationError("--pods must be 0 or more.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard churn >= 0 else { throw ValidationError("--churn must be 0 or more actions per second.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        if let namespaces, namespaces < 1 { throw ValidationError("--namespaces must be at least 1.") }
        if let events, events < 0 { throw ValidationError("--events must be 0 or more.") }
        if clientCert && !tls { throw ValidationError("--client-cert needs TLS; drop --no-tls.") }
    }

    func run() async throws {
        var config = SimulatorConfiguration()
        config.pods = pods
        config.namespaces = namespaces
        config.events = events
        config.host = host
        config.port = port
        config.churnPerSecond = churn
        config.seed = seed
        config.restrictedNamespace = restricted
        config.metricsEnabled = !noMetrics
        config.watchListEnabled = !noWatchList
        config.eventTTL = eventTTL
        config.logLinesPerSecond = logRate
        config.tls = tls
        config.requireClientCertificate = clientCert
        var logger = Logger(label: "kubeluma.sim")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let simulator = try Simulator(configuration: config, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: simulator)], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let url = await simulator.url()
            if let kubeconfigOut {
                try simulator.kubeconfig(server: url).write(toFile: kubeconfigOut, atomically: true, encoding: .utf8)
            }
            FileHandle.standardOutput.write(Data((url.absoluteString + "\n").utf8))
            try await tasks.waitForAll()
        }
    }
}
