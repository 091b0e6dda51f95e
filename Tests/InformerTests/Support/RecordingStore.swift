import Foundation
import Informer
import Testing

/// An `InformerStore` in memory that records every call, for asserting what the informer
/// wrote. Tests wait for a condition on its state (`waitUntil`), never for a fixed time.
actor RecordingStore: InformerStore {
    enum Call: Sendable {
        case replace(InformerID, count: Int, rv: String)
        case apply(InformerID, changes: [WatchChange], rv: String)
    }

    private(set) var objects: [InformerID: [String: KubeObject]] = [:]
    private(set) var resumePoints: [InformerID: String] = [:]
    private(set) var calls: [Call] = []
    /// Keys that a replace found missing (deleted while away).
    private(set) var tombstones: [String] = []

    struct State: Sendable {
        var objects: [InformerID: [String: KubeObject]]
        var calls: [Call]
        var tombstones: [String]
        func count(_ id: InformerID) -> Int { objects[id]?.count ?? 0 }
        var replaceCount: Int { calls.filter { if case .replace = $0 { true } else { false } }.count }
    }

    init(resumePoints: [InformerID: String] = [:]) {
        self.resumePoints = resumePoints
    }

    func resumePoint(for informer: InformerID) async throws -> String? { resumePoints[informer] }

    func replace(_ informer: InformerID, objects list: [KubeObject], resourceVersion: String) async throws {
        var next: [String: KubeObject] = [:]
        for o in list { next[o.key] = o }
        for key in (objects[informer] ?? [:]).keys where next[key] == nil { tombstones.append(key) }
        objects[informer] = next
        resumePoints[informer] = resourceVersion
        calls.append(.replace(informer, count: list.count, rv: resourceVersion))
    }

    func apply(_ informer: InformerID, changes: [WatchChange], resourceVersion: String) async throws {
        var current = objects[informer] ?? [:]
        for c in changes {
            switch c.kind {
            case .added, .modified: current[c.object.key] = c.object
            case .deleted: current[c.object.key] = nil
            }
        }
        objects[informer] = current
        resumePoints[informer] = resourceVersion
        calls.append(.apply(informer, changes: changes, rv: resourceVersion))
    }

    var state: State { State(objects: objects, calls: calls, tombstones: tombstones) }

    /// Returns once `condition` holds. Conditions may also look at the simulator or the
    /// informer's health, which do not notify this store, so it is re-checked every few
    /// milliseconds; a condition still false after the deadline fails the test.
    nonisolated func waitUntil(sourceLocation: SourceLocation = #_sourceLocation,
                               _ condition: @escaping @Sendable (State) -> Bool) async {
        await eventually(sourceLocation: sourceLocation) { condition(await self.state) }
    }
}

/// Waits until `condition` is true, checking every 5 ms (like a UI test's wait-for-condition),
/// and records a failure if it is still false after `timeout` rather than waiting on until the
/// test's time limit.
func eventually(timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
                _ condition: @Sendable () async -> Bool) async {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !(await condition()) {
        if Task.isCancelled { return }
        guard ContinuousClock.now < deadline else {
            Issue.record("condition still false after \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
}
