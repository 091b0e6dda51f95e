import Foundation
import Logging

/// Brings a database's schema up to the migrations this binary knows.
///
/// Each migration runs in its own transaction together with the row that records it, so a crash
/// leaves either the whole step or none of it. A database that records a version this binary
/// does not know was written by a newer kubeluma: opening it is refused rather than guessed at.
struct Migrator {
    var migrations: [Migration]
    var logger: Logger

    static let bookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at REAL NOT NULL
        )
        """

    /// Returns the versions it applied.
    @discardableResult
    func migrate(_ db: Connection, now: Date) throws -> [Int] {
        try validate()
        try db.execute(Self.bookkeeping)
        let applied = Set(try db.query("SELECT version FROM schema_migrations") { $0.int(0) })
        let known = migrations.last?.version ?? 0
        if let newest = applied.max(), newest > known {
            throw StoreError.schemaTooNew(path: db.path, databaseVersion: newest, supportedVersion: known)
        }
        var done: [Int] = []
        // SQLite's way to change a table's shape is to build a new one and drop the old, and
        // with foreign keys on, dropping a parent table deletes its children's rows. So they
        // are off while migrations run (the pragma only takes effect outside a transaction),
        // each migration checks them before it commits, and they are on again after.
        try db.execute("PRAGMA foreign_keys=OFF")
        defer { try? db.execute("PRAGMA foreign_keys=ON") }
        for migration in migrations where !applied.contains(migration.version) {
            try db.transaction {
                try db.execute(migration.sql)
                let broken = try db.query("PRAGMA foreign_key_check") { "\($0.text(0)) row \($0.int(1))" }
                if let first = broken.first {
                    throw StoreError.invalidMigrations("migration \(migration.version)_\(migration.name) leaves \(broken.count) rows whose foreign key points nowhere (first: \(first))")
                }
                try db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           [.int(migration.version), .text(migration.name), .date(now)])
            }
            logger.info("applied migration", metadata: ["migration.version": "\(migration.version)",
                                                         "migration.name": "\(migration.name)"])
            done.append(migration.version)
        }
        return done
    }

    /// The list itself must be sane: numbered from 1 without gaps or duplicates.
    private func validate() throws {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw StoreError.invalidMigrations("expected migration \(offset + 1), found \(migration.version)_\(migration.name)")
        }
    }
}
