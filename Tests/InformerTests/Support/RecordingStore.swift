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
    /// Tasks in `waitUntil`, woken by the next replace or apply.
    private var changeWaiters: [CheckedContinuation<Void, Never>] = []

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
        wakeWaiters()
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
        wakeWaiters()
    }

    var state: State { State(objects: objects, calls: calls, tombstones: tombstones) }

    /// Returns once `condition` holds, re-checking it on every replace or apply (and every
    /// 200 ms, for the deadline); a condition still false after `timeout` fails the test.
    /// For conditions on the simulator or the informer alone, which do not go through this
    /// store, use `eventually`.
    func waitUntil(timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: @Sendable (State) -> Bool) async {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition(state) {
            if Task.isCancelled { return }
            guard ContinuousClock.now < deadline else {
                Issue.record("store condition still false after \(timeout)", sourceLocation: sourceLocation)
                return
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.nextChange() }
                group.addTask { try? await Task.sleep(for: .milliseconds(200)) }
                await group.next()
                group.cancelAll()
                // The deadline's tick came first: release the change waiter too.
                await self.wakeWaiters()
            }
        }
    }

    private func nextChange() async {
        await withCheckedContinuation { changeWaiters.append($0) }
    }

    private func wakeWaiters() {
        let waiting = changeWaiters
        changeWaiters = []
        for waiter in waiting { waiter.resume() }
    }
}

/// Waits until `condition` is true, for state that sends no notification (the in-process
/// simulator's open watches and request log, the transport's transfer count): checked every
/// 5 ms, and a failure is recorded if it is still false after `timeout` rather than waiting on
/// until the test's time limit.
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
