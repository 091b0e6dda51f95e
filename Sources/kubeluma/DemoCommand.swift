import ArgumentParser
import Foundation
import Informer
import KubeSim
import Logging
import ServiceLifecycle

/// `kubeluma demo`: the simulated cluster and `serve` against it, in one command, so a newcomer
/// sees kubeluma work without a cluster.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run kubeluma against a built-in simulated cluster (no cluster needed).")

    @OptionGroup var serve: ServeOptions
    @Option(help: "Pods in the simulated cluster.") var pods = 500
    @Option(help: "Churn actions per second in the simulated cluster (0 = static).") var churn: Double = 2
    @Option(help: "Scenario seed.") var seed: UInt64 = 42
    @Option(help: "Make the simulated cluster forbid cluster-wide reads; only this namespace may be read (shows kubeluma's reduced-scope fallback).")
    var restricted: String?
    @Flag(name: .customLong("no-metrics"), help: "Simulate a cluster without metrics-server (the metrics panel says so).")
    var noMetrics = false
    @Flag(name: .customLong("hostile-pod"), help: "Add a pod named xss-probe-0 whose image, env, termination and event texts are HTML payloads.")
    var hostilePod = false
    @Option(name: .customLong("kubeconfig-out"),
            help: "Write a kubeconfig for the simulated cluster to this file (for kubectl, or its /_sim/ fault endpoints).")
    var kubeconfigOut: String?

    func validate() throws {
        guard pods >= 0 else { throw ValidationError("--pods must be 0 or more.") }
        guard churn >= 0 else { throw ValidationError("--churn must be 0 or more.") }
    }

    func run() async throws {
        var config = SimulatorConfiguration()
        config.pods = pods
        config.churnPerSecond = churn
        config.seed = seed
        config.restrictedNamespace = restricted
        config.metricsEnabled = !noMetrics
        config.hostilePod = hostilePod
        var simLogger = serve.logger
        simLogger.logLevel = max(simLogger.logLevel, .warning)
        let simulator = try Simulator(configuration: config, logger: simLogger)
        var options = serve
        if options.db == nil {
            // A fresh cache per demo run: the simulated cluster is new every time.
            options.db = FileManager.default.temporaryDirectory.appending(path: "kubeluma-demo-\(UUID().uuidString).sqlite").path
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await simulator.run() }
            let url = await simulator.url()
            if let kubeconfigOut {
                try simulator.kubeconfig(server: url, namespace: restricted).write(toFile: kubeconfigOut, atomically: true, encoding: .utf8)
            }
            let ca = try Data(contentsOf: simulator.tls!.caCertificate)
            let connection = ClusterConnection(server: url, tls: TLSOptions(caPEM: Array(ca)),
                                               credentials: .token(config.token), namespace: restricted ?? "default",
                                               contextName: "kubeluma-demo")
            try await Runner(options: options, connection: connection).run()
            tasks.cancelAll()
        }
    }
}
