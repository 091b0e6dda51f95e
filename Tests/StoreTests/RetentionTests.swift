import Foundation
import Informer
import Testing
@testable import Store

@Suite struct RetentionTests {
    @Test(arguments: Storage.allCases) func historyOlderThanThePeriodIsPrunedAndThePresentIsKept(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, storage: storage, clock: clock) { $0.retention.history = 3600 }
        let crashed = ContainerFixture(restartCount: 1, lastState: ContainerFixture.terminated(reason: "Error", exitCode: 1, id: "c://1"))
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "live", containers: [crashed]), Fixture.pod(name: "gone", containers: [crashed])],
                                resourceVersion: "1")
        try await cache.replace(Fixture.allEvents, objects: [Fixture.event(uid: "current", pod: "live"), Fixture.event(uid: "expired", pod: "gone")],
                                resourceVersion: "1")
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "live", containers: [crashed])], resourceVersion: "2")
        try await cache.replace(Fixture.allEvents, objects: [Fixture.event(uid: "current", pod: "live")], resourceVersion: "2")

        clock.advance(1800)
        #expect(try await cache.pruneHistory() == 0)
        clock.advance(3600)
        #expect(try await cache.pruneHistory() > 0)

        #expect(try await cache.storedPods(namespace: "default", name: "gone").isEmpty)
        #expect(try await cache.terminations(podUID: "uid-default-gone").isEmpty)
        #expect(try await cache.events(namespace: "default", podName: "gone").isEmpty)
        #expect(cache.names() == ["default/live"])
        #expect(try await cache.events(namespace: "default", podName: "live").map(\.uid) == ["current"])
    }

    @Test(arguments: Storage.allCases) func rowCapsPruneTheOldestInSmallBatches(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, storage: storage, clock: clock) {
            $0.retention.maxTombstones = 10
            $0.retention.batchSize = 4
        }
        for round in 0..<30 {
            clock.advance(1)
            try await cache.apply(Fixture.allPods, changes: [
                WatchChange(kind: .deleted, object: Fixture.pod(name: "p\(round)", rv: "\(round)")),
            ], resourceVersion: "\(round)")
        }
        #expect(try await cache.tombstones(limit: 100).count == 30)
        #expect(try await cache.pruneHistory() == 20)
        let kept = try await cache.tombstones(limit: 100).map(\.row.name)
        #expect(kept == (20..<30).reversed().map { "p\($0)" })
    }
}
