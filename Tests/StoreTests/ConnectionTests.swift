import CSQLite
import Foundation
import Testing
@testable import Store

@Suite struct ConnectionTests {
    @Test func writerRunsInWALModeWithForeignKeysOn() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("a.sqlite"), mode: .writer)
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try db.scalarInt("PRAGMA synchronous") == 1)  // NORMAL
    }

    @Test func errorsCarryTheSQLAndCodeButNotTheBoundValues() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("a.sqlite"), mode: .writer)
        try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
        try db.run("INSERT INTO t (id) VALUES (?)", [.text("secret-value-1")])
        let error = #expect(throws: SQLiteError.self) {
            try db.run("INSERT INTO t (id) VALUES (?)", [.text("secret-value-1")])
        }
        #expect(error?.primaryCode == SQLITE_CONSTRAINT)
        #expect(error?.sql == "INSERT INTO t (id) VALUES (?)")
        #expect(error?.description.contains("secret-value-1") == false)
    }

    @Test func preparedStatementsAreReusedAcrossRuns() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("a.sqlite"), mode: .writer)
        try db.execute("CREATE TABLE t (n INTEGER)")
        let first = try db.prepare("INSERT INTO t (n) VALUES (?)", [.int(1)])
        first.reset()
        for n in 0..<10 { try db.run("INSERT INTO t (n) VALUES (?)", [.int(n)]) }
        #expect(try db.prepare("INSERT INTO t (n) VALUES (?)") === first)
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 10)
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("a.sqlite"), mode: .writer)
        try db.execute("CREATE TABLE t (n INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t (n) VALUES (1)")
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
    }

    @Test func aFileThatIsNotSQLiteIsReportedAsNotADatabase() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("junk.sqlite")
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SQLiteError.self) { try Connection(path: path, mode: .writer) }
        #expect(error?.isCorruption == true)
    }
}

extension ConnectionTests {
    @Test func theReaderSeesCommittedDataAndCannotWrite() throws {
        let dir = try TemporaryDirectory()
        let writer = try Connection(path: dir.path("a.sqlite"), mode: .writer)
        try writer.execute("CREATE TABLE t (n INTEGER)")
        let reader = try Connection(path: dir.path("a.sqlite"), mode: .reader)
        try writer.run("INSERT INTO t (n) VALUES (1)")
        #expect(try reader.scalarInt("SELECT count(*) FROM t") == 1)
        #expect(throws: SQLiteError.self) { try reader.run("INSERT INTO t (n) VALUES (2)") }
    }
}
