import Foundation
import Informer
import Testing
@testable import Store

@Suite struct CrashRecoveryTests {
    /// A writer killed with SIGKILL halfway through a big transaction (with pages already spilled
    /// into the WAL) must leave a database that opens consistent, at the last committed batch.
    /// The child is Python's sqlite3 module over the same libsqlite3, since a process has to die.
    @Test func aWriterKilledMidTransactionLeavesTheLastCommittedState() async throws {
        let dir = try TemporaryDirectory()
        do {
            let cache = try ClusterCache.openForTest(dir)
            try await cache.replace(Fixture.allPods, objects: ["a", "b", "c"].map { Fixture.pod(name: $0) }, resourceVersion: "1")
        }
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO pods (uid, namespace, name, phase, status, ready, total, restarts, resource_version,"
                " json, updated_at, seq) VALUES (?, 'crash', ?, 'Running', 'Running', 1, 1, 0, '9', randomblob(2000), 0, 0)",
                ((f"crash-{i}", f"crash-{i}") for i in range(20000)))
            db.execute("UPDATE informer_state SET resource_version = '999'")
            print("ready", flush=True)
            sys.stdin.readline()
            """
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        child.arguments = ["-c", script, dir.path("cache.sqlite")]
        let input = Pipe(), output = Pipe()
        child.standardInput = input
        child.standardOutput = output
        try child.run()
        let ready = output.fileHandleForReading.availableData
        #expect(String(decoding: ready, as: UTF8.self).contains("ready"))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        let walSize = (try? FileManager.default.attributesOfItem(atPath: dir.path("cache.sqlite-wal"))[.size] as? Int) ?? 0
        #expect(walSize > 1_000_000, "the killed transaction should have spilled pages into the WAL")

        let cache = try ClusterCache.openForTest(dir)
        #expect(cache.names() == ["default/a", "default/b", "default/c"])
        #expect(try await cache.resumePoint(for: Fixture.allPods) == "1")
        let check = try await cache.writer.run { writer in try writer.db.scalarText("PRAGMA integrity_check") }
        #expect(check == "ok")
        try await cache.apply(Fixture.allPods, changes: [WatchChange(kind: .added, object: Fixture.pod(name: "d"))], resourceVersion: "2")
        #expect(cache.names().count == 4)
    }
}
