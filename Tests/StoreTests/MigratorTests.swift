import Foundation
import Logging
import Testing
@testable import Store

@Suite struct MigratorTests {
    let steps = [
        Migration(version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);"),
        Migration(version: 2, name: "two", sql: "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (7);"),
    ]

    func migrator(_ migrations: [Migration]) -> Migrator {
        Migrator(migrations: migrations, logger: Logger(label: "test"))
    }

    @Test func appliesEachMigrationOnceInOrderAndRecordsIt() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("m.sqlite"), mode: .writer)
        #expect(try migrator(Array(steps.prefix(1))).migrate(db, now: Date()) == [1])
        #expect(try migrator(steps).migrate(db, now: Date()) == [2])
        #expect(try migrator(steps).migrate(db, now: Date()) == [])
        #expect(try db.query("SELECT version, name FROM schema_migrations ORDER BY version") { "\($0.int(0))_\($0.text(1))" }
            == ["1_one", "2_two"])
        #expect(try db.scalarInt("SELECT y FROM b") == 7)
    }

    @Test func aFailingMigrationLeavesNoTraceAndKeepsEarlierOnes() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("m.sqlite"), mode: .writer)
        let broken = steps + [Migration(version: 3, name: "broken", sql: "CREATE TABLE c (z INTEGER); SELECT * FROM missing;")]
        #expect(throws: SQLiteError.self) { try migrator(broken).migrate(db, now: Date()) }
        #expect(try db.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) } == [1, 2])
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'c'") == 0)
    }

    @Test func aDatabaseFromANewerBinaryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("m.sqlite"), mode: .writer)
        try migrator(steps).migrate(db, now: Date())
        #expect {
            try migrator(Array(steps.prefix(1))).migrate(db, now: Date())
        } throws: { error in
            guard case let StoreError.schemaTooNew(_, found, supported) = error else { return false }
            return found == 2 && supported == 1
        }
    }

    @Test func aGapInTheMigrationListIsRejected() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("m.sqlite"), mode: .writer)
        let gap = [steps[1]]
        #expect(throws: StoreError.self) { try migrator(gap).migrate(db, now: Date()) }
    }

    @Test func embeddedMigrationsParseFromTheirFileNames() {
        #expect(Migration.embedded.first?.version == 1)
        #expect(Migration.embedded.first?.name == "initial")
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count))
        #expect(Migration(path: "migrations/0012_add_things.sql", sql: "")?.version == 12)
        #expect(Migration(path: "migrations/notes.txt", sql: "") == nil)
    }

    @Test func openingAStoreWrittenByANewerKubelumaIsAClearError() throws {
        let dir = try TemporaryDirectory()
        do {
            var configuration = CacheConfiguration(path: dir.path("c.sqlite"))
            configuration.migrations = Migration.embedded + [Migration(version: Migration.embedded.count + 1, name: "future", sql: "CREATE TABLE future (x);")]
            _ = try ClusterCache.open(configuration)
        }
        #expect {
            _ = try ClusterCache.open(CacheConfiguration(path: dir.path("c.sqlite")))
        } throws: { error in
            guard case StoreError.schemaTooNew = error else { return false }
            return "\(error)".contains("newer kubeluma")
        }
    }

    @Test func migrationsCheckForeignKeysBeforeTheyCommit() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("m.sqlite"), mode: .writer)
        let orphan = [
            Migration(version: 1, name: "tables", sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent INTEGER REFERENCES parent (id));
                """),
            Migration(version: 2, name: "orphan", sql: "INSERT INTO child VALUES (42);"),
        ]
        #expect(throws: StoreError.self) { try migrator(orphan).migrate(db, now: Date()) }
        #expect(try db.query("SELECT version FROM schema_migrations") { $0.int(0) } == [1])
        #expect(try db.scalarText("PRAGMA foreign_keys") == "1", "foreign keys are on again after migrating")
    }

    @Test func aVersion1CacheKeepsItsPodsTombstonesAndTerminationsWhenTheJSONMovesLast() async throws {
        let dir = try TemporaryDirectory()
        let restarted = Fixture.pod(name: "api-0", rv: "2", containers: [ContainerFixture(
            restartCount: 1, lastState: ContainerFixture.terminated(reason: "OOMKilled", exitCode: 137, id: "c-1"))])
        let gone = Fixture.pod(name: "web-0")
        do {
            var v1 = CacheConfiguration(path: dir.path("c.sqlite"))
            v1.migrations = Array(Migration.embedded.prefix(1))
            let cache = try ClusterCache.open(v1)
            try await cache.replace(Fixture.allPods, objects: [restarted, gone], resourceVersion: "1")
            try await cache.replace(Fixture.allPods, objects: [restarted], resourceVersion: "2")
            try await cache.writesSettled()
            cache.close()
        }
        let cache = try ClusterCache.open(CacheConfiguration(path: dir.path("c.sqlite")))
        #expect(cache.index.snapshot().allPods.map(\.name) == ["api-0"])
        let live = try #require(try await cache.storedPods(namespace: "default", name: "api-0").first)
        guard case let .pod(_, json) = restarted else { Issue.record("fixture"); return }
        #expect(live.json == json)
        #expect(try await cache.terminations(podUID: live.row.uid).map(\.reason) == ["OOMKilled"])
        #expect(try await cache.tombstones().map(\.row.name) == ["web-0"])

        let db = try Connection(path: dir.path("c.sqlite"), mode: .writer)
        #expect(try db.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) } == [1, 2])
        #expect(try db.query("PRAGMA table_info(pods)") { $0.text(1) }.last == "json")
        // The terminations still belong to the rebuilt table: deleting a pod takes them along.
        try db.run("DELETE FROM pods WHERE uid = ?", [.text(live.row.uid)])
        #expect(try db.scalarInt("SELECT count(*) FROM container_terminations") == 0)
    }
}
