import CSQLite
import Foundation
import Informer
import Testing
@testable import Store

/// The WAL is copied back into the database file by the background checkpointer, not inside
/// the writer's commits.
@Suite struct CheckpointTests {
    /// Rows in the main database file alone: `immutable=1` makes SQLite ignore the WAL, so only
    /// what a checkpoint has copied is counted (not even the schema, before the first one).
    func podsInTheDatabaseFile(_ path: String) throws -> Int {
        let db = try Connection(path: "file:\(path)?immutable=1", mode: .reader)
        guard try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'pods'") == 1 else { return 0 }
        return try db.scalarInt("SELECT count(*) FROM pods") ?? -1
    }

    @Test func aRelistPastTheThresholdReachesTheDatabaseFileInTheBackground() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir) { $0.checkpointPages = 64 }
        let pods = (0..<1000).map { Fixture.pod(name: "p\($0)") }
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 0)
        try await cache.replace(Fixture.allPods, objects: pods, resourceVersion: "1")
        try await cache.writesSettled()
        let checkpoint = try #require(try await cache.checkpointer?.settled())
        #expect(checkpoint.logFrames > 64)
        #expect(checkpoint.checkpointedFrames == checkpoint.logFrames)
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 1000)
    }

    @Test func smallCommitsStayInTheWALUntilTheThreshold() async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir) { $0.checkpointPages = 100_000 }
        try await cache.replace(Fixture.allPods, objects: (0..<1000).map { Fixture.pod(name: "p\($0)") }, resourceVersion: "1")
        try await cache.writesSettled()
        #expect(try await cache.checkpointer?.settled() == nil, "no checkpoint ran")
        // Neither did SQLite's automatic one inside the commit.
        #expect(try podsInTheDatabaseFile(dir.path("cache.sqlite")) == 0)
        #expect(cache.index.snapshot().count == 1000)
    }
}
