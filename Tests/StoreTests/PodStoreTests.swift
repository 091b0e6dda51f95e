import Foundation
import Informer
import Testing
@testable import Store

@Suite struct PodStoreTests {
    @Test(arguments: Storage.allCases) func replaceStoresPodsWithTheirSummaryAndResumePoint(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        let crashing = ContainerFixture(restartCount: 3, ready: false, state: ["waiting": ["reason": "CrashLoopBackOff"]],
                                        lastState: ContainerFixture.terminated(reason: "Error", exitCode: 1, id: "c://1"))
        try await cache.replace(Fixture.allPods, objects: [
            Fixture.pod(name: "web-1"), Fixture.pod(namespace: "ops", name: "job-1", containers: [crashing]),
        ], resourceVersion: "100")
        #expect(cache.names() == ["default/web-1", "ops/job-1"])
        let job = try #require(cache.index.snapshot().pod(namespace: "ops", name: "job-1"))
        #expect(job.status == "CrashLoopBackOff")
        #expect(job.ready == 0 && job.total == 1 && job.restarts == 3)
        #expect(job.lastRestart == KubeTime.parse("2027-01-15T08:05:00Z"))
        #expect(job.node == "node-1" && job.podIP == "10.0.0.1" && job.hostIP == "192.168.0.1")
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "100")
        #expect(try await cache.resumePoint(for: Fixture.allEvents) == nil)
    }

    /// A pods relist reaches the index before its transaction ends (the UI need not wait for
    /// the disk); a read of the database waits for that transaction, so a pod the table shows
    /// is always found on disk.
    @Test(arguments: Storage.allCases) func podsOfARelistAreReadableAsSoonAsTheIndexShowsThem(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: (0..<3000).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "5")
        let row = try #require(cache.index.snapshot().pod(namespace: "default", name: "p2999"))
        #expect(try await cache.storedPod(uid: row.uid)?.json.isEmpty == false)
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "5")
    }

    @Test(arguments: Storage.allCases) func podsMissingFromARelistBecomeTombstonesWithTheirLastState(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a"), Fixture.pod(name: "b", rv: "7")],
                                resourceVersion: "10")
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "20")
        #expect(cache.names() == ["default/a"])
        let gone = try #require(try await cache.storedPod(uid: "uid-default-b"))
        #expect(gone.isTombstone && gone.deletion == .inferred)
        #expect(gone.row.resourceVersion == "7")
        #expect(gone.json == Fixture.podJSON(name: "b", rv: "7"))
    }

    @Test(arguments: Storage.allCases) func aNamespacedRelistOnlyTombstonesItsOwnNamespace(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(namespace: "a", name: "x"), Fixture.pod(namespace: "b", name: "y")],
                                resourceVersion: "1")
        try await cache.replace(InformerID(resource: .pods, namespace: "a"), objects: [], resourceVersion: "2")
        #expect(cache.names() == ["b/y"])
    }

    @Test(arguments: Storage.allCases) func readersSeeTheOldSetOrTheNewSetNeverAMix(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        let old = (0..<500).map { Fixture.pod(name: "old-\($0)") }
        let new = (0..<500).map { Fixture.pod(name: "new-\($0)") }
        try await cache.replace(Fixture.allPods, objects: old, resourceVersion: "1")
        async let relist: Void = cache.replace(Fixture.allPods, objects: new, resourceVersion: "2")
        for _ in 0..<200 {
            let names = cache.index.snapshot().allPods.map(\.name)
            let kinds = Set(names.map { $0.hasPrefix("old-") ? "old" : "new" })
            #expect(names.count == 500 && kinds.count == 1)
            await Task.yield()
        }
        try await relist
        #expect(Set(cache.index.snapshot().allPods.map { String($0.name.prefix(3)) }) == ["new"])
    }

    @Test(arguments: Storage.allCases) func aSameNameWithANewUIDIsADeleteAndAnAdd(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "db-0", uid: "u1")], resourceVersion: "1")
        let before = cache.index.seq
        try await cache.apply(Fixture.allPods, changes: [WatchChange(kind: .added, object: Fixture.pod(name: "db-0", uid: "u2", rv: "2"))],
                              resourceVersion: "2")
        #expect(cache.index.snapshot().pod(namespace: "default", name: "db-0")?.uid == "u2")
        let history = try await cache.storedPods(namespace: "default", name: "db-0")
        #expect(history.map(\.row.uid) == ["u2", "u1"])
        #expect(history[1].isTombstone)
        let delta = try #require(cache.index.snapshot().changes(since: before))
        #expect(delta.removed.map(\.uid) == ["u1"])
        #expect(delta.upserted.map(\.uid) == ["u2"])
    }

    @Test(arguments: Storage.allCases) func aWatchedDeleteKeepsTheFinalStateAsATombstone(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "1")
        try await cache.apply(Fixture.allPods, changes: [
            WatchChange(kind: .deleted, object: Fixture.pod(name: "a", rv: "9", phase: "Succeeded")),
        ], resourceVersion: "9")
        #expect(cache.names().isEmpty)
        let pod = try #require(try await cache.storedPod(uid: "uid-default-a"))
        #expect(pod.deletion == .watch && pod.row.phase == "Succeeded")
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "9")
    }

    @Test func reopeningRebuildsTheSameIndexFromDisk() async throws {
        let dir = try TemporaryDirectory()
        let rows: [PodRow]
        let seq: UInt64
        do {
            let cache = try ClusterCache.openForTest(dir)
            try await cache.replace(Fixture.allPods, objects: (0..<50).map { Fixture.pod(namespace: "ns\($0 % 3)", name: "p\($0)") },
                                    resourceVersion: "1")
            try await cache.apply(Fixture.allPods, changes: [
                WatchChange(kind: .modified, object: Fixture.pod(namespace: "ns0", name: "p0", rv: "2", phase: "Failed")),
                WatchChange(kind: .deleted, object: Fixture.pod(namespace: "ns1", name: "p1", rv: "3")),
            ], resourceVersion: "3")
            rows = cache.index.snapshot().allPods
            seq = cache.index.seq
        }
        let reopened = try ClusterCache.openForTest(dir)
        #expect(reopened.index.snapshot().allPods == rows)
        #expect(reopened.index.seq == seq)
        #expect(reopened.latestChange.seq == seq)
        #expect(try await reopened.resumePoint(for: Fixture.allPods) == "3")
    }

    @Test(arguments: Storage.allCases) func everyChangeAdvancesTheSeqAndWakesSubscribers(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        var changes = cache.changes().makeAsyncIterator()
        #expect(await changes.next() == StoreChange(seq: 0, podSeq: 0, eventSeq: 0))
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a"), Fixture.pod(name: "b")], resourceVersion: "1")
        #expect(await changes.next() == StoreChange(seq: 2, podSeq: 2, eventSeq: 0))
        // A relist with nothing new changes nothing and wakes nobody; the next event does.
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a"), Fixture.pod(name: "b")], resourceVersion: "2")
        try await cache.apply(Fixture.allEvents, changes: [WatchChange(kind: .added, object: Fixture.event(uid: "e1", pod: "a"))],
                              resourceVersion: "3")
        #expect(await changes.next() == StoreChange(seq: 3, podSeq: 2, eventSeq: 3))
    }

    @Test(arguments: Storage.allCases) func aFailedBatchChangesNeitherTheDatabaseNorTheIndex(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "1")
        // Make the next write fail inside the transaction, after the first pod was written.
        try await cache.writer.run { writer in
            try writer.db.execute("CREATE TRIGGER fail BEFORE INSERT ON pods WHEN NEW.name = 'bad' BEGIN SELECT RAISE(ABORT, 'no'); END")
        }
        await #expect(throws: (any Error).self) {
            try await cache.apply(Fixture.allPods, changes: [
                WatchChange(kind: .added, object: Fixture.pod(name: "good")),
                WatchChange(kind: .added, object: Fixture.pod(name: "bad")),
            ], resourceVersion: "2")
        }
        #expect(cache.names() == ["default/a"])
        #expect(try await cache.storedPods(namespace: "default", name: "good").isEmpty)
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "1")
    }
}

@Suite struct SyncStateTests {
    @Test(arguments: Storage.allCases) func syncStateRecordsTheLastSyncAndTheLastRelist(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, storage: storage, clock: clock)
        #expect(try await cache.syncState(for: Fixture.allPods) == nil)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "5")
        let relistedAt = clock.now
        clock.advance(30)
        try await cache.apply(Fixture.allPods, changes: [], resourceVersion: "6")
        #expect(try await cache.syncState(for: Fixture.allPods)
            == InformerSyncState(resourceVersion: "6", lastSyncAt: clock.now, lastRelistAt: relistedAt))
    }

    @Test(arguments: Storage.allCases) func closingEndsEveryChangeStream(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        let stream = cache.changes()
        cache.close()
        var received = 0
        for await _ in stream { received += 1 }
        #expect(received == 1)  // the current state, then the end
        var after = cache.changes().makeAsyncIterator()
        #expect(await after.next() == nil)
    }
}
