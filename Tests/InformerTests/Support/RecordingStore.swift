import Foundation
import Informer

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
    /// milliseconds as well as after each write (the test's time limit bounds the wait).
    nonisolated func waitUntil(_ condition: @escaping @Sendable (State) -> Bool) async {
        await eventually { condition(await self.state) }
    }
}

/// Waits until `condition` is true, checking every 5 ms (like a UI test's wait-for-condition).
func eventually(_ condition: @Sendable () async -> Bool) async {
    while !(await condition()) {
        if Task.isCancelled { return }
        try? await Task.sleep(for: .milliseconds(5))
    }
}
