import Foundation
import Testing
@testable import KubeSim

/// WATCH semantics of KUBERNETES-API.md §2.
@Suite struct ClusterWatchTests {
    let clock = ManualClock()
    let simulator: Simulator

    init() throws {
        var config = SimulatorConfiguration()
        config.pods = 60
        config.tls = false
        config.churnPerSecond = 0
        config.bookmarkInterval = 60
        config.watcherBuffer = 500
        let clock = self.clock
        simulator = try Simulator(configuration: config, now: { clock.now })
    }

    var cluster: Cluster { simulator.cluster }

    /// Frames already delivered, without waiting for more: the stream is finished first so
    /// iteration ends (everything was yielded synchronously under the cluster's lock).
    func drain(_ stream: AsyncStream<WatchFrame>) async -> [WatchFrame] {
        cluster.dropAllWatches()
        var frames: [WatchFrame] = []
        for await frame in stream { frames.append(frame) }
        return frames
    }

    func request(rv: String?, _ configure: (inout WatchRequest) -> Void = { _ in }) -> WatchRequest {
        var r = WatchRequest(resource: .pods, resourceVersion: rv, allowBookmarks: true, timeout: 300)
        configure(&r)
        return r
    }

    @Test func watchFromAResourceVersionReplaysOnlyLaterChanges() async {
        let rv = cluster.currentResourceVersion
        let pod = cluster.allPods()[0]
        simulator.deletePod(namespace: pod.key.namespace, name: pod.key.name)
        let frames = await drain(cluster.watch(request(rv: String(rv))))
        #expect(frames.count == 1)
        guard case .change(.deleted, let object)? = frames.first else { Issue.record("expected DELETED"); return }
        #expect(object.key == pod.key)
        #expect(object.resourceVersion == rv + 1)
    }

    @Test func watchWithoutResourceVersionStartsWithSyntheticAdds() async {
        let frames = await drain(cluster.watch(request(rv: nil)))
        #expect(frames.count == 60)
        #expect(frames.allSatisfy { if case .change(.added, _) = $0 { true } else { false } })
    }

    @Test func watchFromBeforeTheHistoryWindowGetsAnExpiredErrorEvent() async {
        let rv = cluster.currentResourceVersion
        simulator.churn(steps: 3)
        cluster.compactHistory()
        let frames = await drain(cluster.watch(request(rv: String(rv))))
        guard case .error(let status)? = frames.first, frames.count == 1 else { Issue.record("expected one ERROR"); return }
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
        #expect(status.message.hasPrefix("too old resource version: \(rv) ("))
    }

    @Test func sendInitialEventsEndsTheInitialBurstWithAnAnnotatedBookmark() async {
        let frames = await drain(cluster.watch(request(rv: "") { $0.sendInitialEvents = true }))
        #expect(frames.count == 61)
        guard case .bookmark(let rv, true)? = frames.last else { Issue.record("expected the initial-events-end bookmark"); return }
        #expect(rv == cluster.currentResourceVersion)
    }

    @Test func bookmarksArriveOnScheduleAndTheDeadlineEndsTheWatch() async {
        let stream = cluster.watch(request(rv: String(cluster.currentResourceVersion)) { $0.timeout = 150 })
        clock.advance(by: 61)
        cluster.tick()
        clock.advance(by: 100)
        cluster.tick()   // past the 150 s deadline: a last bookmark, then the end
        var frames: [WatchFrame] = []
        for await frame in stream { frames.append(frame) }
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { if case .bookmark(_, false) = $0 { true } else { false } })
        #expect(cluster.openWatchCount == 0)
    }

    @Test func objectLeavingAFieldSelectorArrivesAsDeletedAndEnteringAsAdded() async throws {
        let target = try #require(cluster.allPods().first { $0.status.phase == "Running" })
        let stream = cluster.watch(request(rv: String(cluster.currentResourceVersion)) {
            $0.fieldSelector = try? FieldSelector("status.phase=Running", supported: SelectableFields.pods)
        })
        var changed = target
        changed.status.phase = "Failed"
        cluster.commit([.upsertPod(changed), .upsertPod(target)])
        let frames = await drain(stream)
        guard frames.count == 2, case .change(.deleted, let left) = frames[0], case .change(.added, let entered) = frames[1] else {
            Issue.record("expected DELETED then ADDED, got \(frames)"); return
        }
        #expect(left.key == target.key && entered.key == target.key)
    }

    @Test func expiredEventsLeaveWatchesAsDeleted() async {
        let stream = cluster.watch(WatchRequest(resource: .events, resourceVersion: String(cluster.currentResourceVersion), timeout: 7200))
        let count = simulator.eventCount
        clock.advance(by: 3601)
        cluster.tick()
        #expect(simulator.eventCount == 0)
        let frames = await drain(stream)
        #expect(frames.count == count)
        #expect(frames.allSatisfy { if case .change(.deleted, _) = $0 { true } else { false } })
    }

    @Test func slowWatcherIsDroppedInsteadOfGrowingWithoutBound() {
        // A watcher that never reads: once its buffer is full, the next change drops it.
        let stream = cluster.watch(request(rv: nil))
        _ = stream
        let key = cluster.allPods()[0].key
        cluster.commit(Array(repeating: .upsertPod(cluster.pod(key)!), count: cluster.watcherBuffer))
        #expect(cluster.openWatchCount == 0)
    }
}
