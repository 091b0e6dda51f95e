import ArgumentParser
import Foundation
import Informer
import Logging
import Synchronization

/// `kubeluma bench-informer` (hidden): what the informers alone cost at a watch rate — the
/// libcurl transport, TLS, framing, decoding and the hand-off — with a store that takes each
/// batch and keeps nothing (issue #3's line: watch events "decoded and handed to the store").
/// Both informers resume from `--from` as after a restart, so the simulator replays its history
/// (paced by `/_sim/faults {"watchEventsPerSecond":N}`); the CPU is counted from the first
/// change handed over to the last.
struct InformerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-informer",
        abstract: "Measure the informers' watch decoding and hand-off (used by bench/bench.py).",
        shouldDisplay: false)

    @Option(help: "Kubeconfig of the (simulated) cluster.") var kubeconfig: String
    @Option(help: "The resourceVersion both informers resume from.") var from: String
    @Option(help: "Stop after this many changes have been handed over.") var expect: Int
    @Option(help: "Write the figures here as JSON.") var json: String

    func run() async throws {
        let connection = try KubeConfigLoader().load(explicitPath: kubeconfig, context: nil)
        let logger = Logger(label: "kubeluma.bench") { _ in SwiftLogNoOpLogHandler() }
        let transport = CurlTransport(logger: logger)
        defer { transport.shutdown() }
        let client = KubeClient(connection: connection, transport: transport, logger: logger)
        let store = DiscardingStore(resumeFrom: from, expected: expect)
        let informers = ClusterInformers(client: client, store: store, namespace: nil, logger: logger)
        let measured = try await withThrowingTaskGroup(of: DiscardingStore.Measurement?.self) { group in
            group.addTask { await informers.run(); return nil }
            group.addTask {
                try await Task.sleep(for: .seconds(300))
                throw CLIError("only \(store.handedOver) of \(expect) changes arrived in 300 s")
            }
            group.addTask { await store.finished() }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CLIError("the informers stopped")
        }
        let results = ["changes": Double(measured.changes), "seconds": measured.seconds,
                       "changes_per_s": Double(measured.changes) / measured.seconds,
                       "cores": measured.cpuSeconds / measured.seconds]
        try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
    }
}

/// Counts what the informers hand over and keeps none of it.
private final class DiscardingStore: InformerStore, Sendable {
    struct Measurement: Sendable {
        var changes: Int
        var seconds: Double
        var cpuSeconds: Double
    }

    private struct State {
        var changes = 0
        var first: (clock: ContinuousClock.Instant, cpu: Double, changes: Int)?
        var done: Measurement?
        var waiter: CheckedContinuation<Measurement, Never>?
    }

    let resumeFrom: String
    let expected: Int
    private let state = Mutex(State())

    init(resumeFrom: String, expected: Int) {
        self.resumeFrom = resumeFrom
        self.expected = expected
    }

    var handedOver: Int { state.withLock { $0.changes } }

    func resumePoint(for informer: InformerID) async throws -> String? { resumeFrom }

    func replace(_ informer: InformerID, objects: [KubeObject], resourceVersion: String) async throws {}

    func apply(_ informer: InformerID, changes: [WatchChange], resourceVersion: String) async throws {
        let now = ContinuousClock.now, cpu = processCPUSeconds()
        let waiter = state.withLock { s -> (CheckedContinuation<Measurement, Never>, Measurement)? in
            s.changes += changes.count
            // From the end of the first batch: its own decoding started before the clock did.
            guard let first = s.first else {
                s.first = (now, cpu, s.changes)
                return nil
            }
            guard s.done == nil, s.changes >= expected else { return nil }
            let measurement = Measurement(changes: s.changes - first.changes, seconds: (now - first.clock).seconds,
                                          cpuSeconds: cpu - first.cpu)
            s.done = measurement
            defer { s.waiter = nil }
            return s.waiter.map { ($0, measurement) }
        }
        if let (continuation, measurement) = waiter { continuation.resume(returning: measurement) }
    }

    func finished() async -> Measurement {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Measurement? in
                if s.done == nil { s.waiter = continuation }
                return s.done
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}
