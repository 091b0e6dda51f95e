import Foundation
import Informer
import Testing
@testable import Store

@Suite struct StorageFailureTests {
    /// Makes the writer's database "full": SQLite refuses to grow it past a few more pages.
    func fillDisk(_ cache: ClusterCache, spare: Int = 2) async throws {
        try await cache.writer.run { writer in
            let pages = try writer.db.scalarInt("PRAGMA page_count") ?? 0
            try writer.db.execute("PRAGMA max_page_count = \(pages + spare)")
        }
    }

    func freeDisk(_ cache: ClusterCache) async throws {
        try await cache.writer.run { writer in try writer.db.execute("PRAGMA max_page_count = 1000000000") }
    }

    @Test func aFullDiskKeepsThePodTableLiveFromMemoryAndSaysWhy() async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, clock: clock)
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "seed")], resourceVersion: "1")
        try await fillDisk(cache)

        try await cache.replace(Fixture.allPods, objects: (0..<300).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "2")
        try await cache.writesSettled()
        #expect(cache.historyProblem == "the disk is full")
        #expect(cache.index.snapshot().count == 300)
        #expect(cache.index.snapshot().pod(namespace: "default", name: "seed") == nil)
        try await cache.apply(Fixture.allPods, changes: [WatchChange(kind: .deleted, object: Fixture.pod(name: "p0", rv: "3"))],
                              resourceVersion: "3")
        #expect(cache.index.snapshot().count == 299)
        // Nothing reached the database: it still holds the last batch it committed.
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "1")
        #expect(try await cache.storedPods(namespace: "default", name: "p1").isEmpty)

        try await freeDisk(cache)
        clock.advance(31)
        try await cache.apply(Fixture.allPods, changes: [WatchChange(kind: .modified, object: Fixture.pod(name: "p1", rv: "4"))],
                              resourceVersion: "4")
        #expect(cache.historyProblem == nil)
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "4")
        #expect(try await cache.storedPod(uid: "uid-default-p0")?.deletion == .watch)
        #expect(try await cache.storedPod(uid: "uid-default-seed")?.deletion == .inferred)
        #expect(try await cache.storedPod(uid: "uid-default-p1")?.row.resourceVersion == "4")
        let live = cache.index.snapshot().allPods.map(\.key)
        cache.close()
        _ = consume cache
        let reopened = try ClusterCache.openForTest(dir, clock: clock)
        #expect(reopened.index.snapshot().allPods.map(\.key) == live)
    }

    @Test func whileTheDiskStaysFullBatchesDoNotRetryEveryTime() async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, clock: clock)
        try await fillDisk(cache, spare: 0)
        try await cache.replace(Fixture.allPods, objects: (0..<50).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "1")
        try await cache.writesSettled()
        #expect(cache.historyProblem != nil)
        try await freeDisk(cache)
        // Within the retry interval the batch stays in memory even though the disk has room.
        try await cache.apply(Fixture.allPods, changes: [WatchChange(kind: .added, object: Fixture.pod(name: "late"))], resourceVersion: "2")
        #expect(try await cache.resumePoint(for: Fixture.allPods) == nil)
        clock.advance(31)
        try await cache.apply(Fixture.allPods, changes: [], resourceVersion: "3")
        #expect(cache.historyProblem == nil)
        #expect(try await cache.storedPods(namespace: "default", name: "late").count == 1)
    }

    @Test func otherSQLErrorsStillFailTheBatch() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir)
        try await cache.writer.run { writer in
            try writer.db.execute("CREATE TRIGGER fail BEFORE INSERT ON pods BEGIN SELECT RAISE(ABORT, 'no'); END")
        }
        // A pods relist reaches the index before its write; the failed write takes it back out
        // and fails the informer's next batch, which makes it relist.
        try await cache.replace(Fixture.allPods, objects: [Fixture.pod(name: "a")], resourceVersion: "1")
        await #expect(throws: (any Error).self) {
            try await cache.apply(Fixture.allPods, changes: [], resourceVersion: "2")
        }
        #expect(cache.historyProblem == nil)
        #expect(cache.names().isEmpty)
        #expect(try await cache.resumePoint(for: Fixture.allPods) == nil)
    }
}
