import CSQLite
import Foundation
import Informer
import Testing
@testable import Store

/// The WAL is copied back into the database file by a job of its own after the commit that
/// crossed the threshold, not inside it.
@Suite struct CheckpointTests {
    /// Rows in the main database file alone: `immutable=1` makes SQLite ignore the WAL, so only
    /// what a checkpoint has copied is counted (not even the schema, before the first one).
    func podsInTheDatabaseFile(_ path: String) throws -> Int {
        let db = try Connection(path: "file:\(path)?immutable=1", mode: .reader)
        guard try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'pods'") == 1 else { return 0 }
        return try db.scalarInt("SELECT count(*) FROM pods") ?? -1
    }

    @Test func aRelistPastTheThresholdReachesTheDatabaseFileRightAfterItsCommit() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir) { $0.checkpointPages = 64 }
        let pods = (0..<1000).map { Fixture.pod(name: "p\($0)") }
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 0)
        try await cache.replace(Fixture.allPods, objects: pods, resourceVersion: "1")
        try await cache.writesSettled()
        let checkpoint = try #require(try await cache.lastCheckpoint())
        #expect(checkpoint.logFrames > 64)
        #expect(checkpoint.checkpointedFrames == checkpoint.logFrames)
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 1000)
    }

    @Test func smallCommitsStayInTheWALUntilTheThreshold() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir) { $0.checkpointPages = 100_000 }
        try await cache.replace(Fixture.allPods, objects: (0..<1000).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "1")
        try await cache.writesSettled()
        #expect(try await cache.lastCheckpoint() == nil, "no checkpoint ran")
        // Neither did SQLite's automatic one inside the commit.
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 0)
        #expect(cache.index.snapshot().count == 1000)
    }

    /// Each checkpoint copies every frame, so the next transaction starts the WAL over: under a
    /// steady stream of watch batches its file stays near the threshold.
    @Test func theWALStaysNearTheThresholdUnderAStreamOfBatches() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir) { $0.checkpointPages = 64 }
        try await cache.replace(Fixture.allPods, objects: (0..<200).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "1")
        for round in 0..<60 {
            let changes = (0..<100).map { WatchChange(kind: .modified, object: Fixture.pod(name: "p\($0)", rv: "\(round + 2)")) }
            try await cache.apply(Fixture.allPods, changes: changes, resourceVersion: "\(round + 2)")
        }
        _ = try await cache.lastCheckpoint()
        let written = 60 * 100 * Fixture.podJSON(namespace: "default", name: "p0", uid: nil, rv: "2", phase: "Running",
                                                   containers: [ContainerFixture()]).count
        let wal = try FileManager.default.attributesOfItem(atPath: dir.path("cache.sqlite") + "-wal")[.size] as? Int ?? 0
        #expect(written > 10 * wal, "WAL \(wal) bytes after \(written) bytes of pods")
        #expect(wal < 8 * 64 * 4096)
    }
}
