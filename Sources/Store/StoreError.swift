import Foundation

/// What can go wrong opening or using the cache, phrased so the CLI can show it as is.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// Another kubeluma process has this cache open.
    case inUse(path: String, pid: Int32?)
    /// The file exists but is not an SQLite database, or is damaged. Nothing was changed.
    case notADatabase(path: String, underlying: SQLiteError)
    /// A valid SQLite database that kubeluma did not create. Nothing was changed.
    case foreignDatabase(path: String)
    /// The database was written by a newer kubeluma.
    case schemaTooNew(path: String, databaseVersion: Int, supportedVersion: Int)
    /// The folder or file cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The built-in migration list is broken (a packaging bug).
    case invalidMigrations(String)
    case sqlite(SQLiteError)

    public var description: String {
        switch self {
        case let .inUse(path, pid):
            let who = pid.map { "another kubeluma (pid \($0))" } ?? "another kubeluma"
            return "the cache \(path) is in use by \(who); stop it, or give this one its own cache with --db PATH"
        case let .notADatabase(path, underlying):
            return "\(path) is not a usable kubeluma cache (\(underlying.message)); it was left untouched: "
                + "move it aside or delete it to start a fresh cache, or pass --db PATH"
        case let .foreignDatabase(path):
            return "\(path) is an SQLite database that kubeluma did not create; it was left untouched: "
                + "pass --db with a new file name"
        case let .schemaTooNew(path, databaseVersion, supportedVersion):
            return "the cache \(path) has schema version \(databaseVersion) but this kubeluma knows up to \(supportedVersion); "
                + "run a newer kubeluma, or pass --db PATH to use a separate cache"
        case let .cannotOpen(path, reason):
            return "cannot open the cache \(path): \(reason)"
        case let .invalidMigrations(detail):
            return "the built-in migrations are inconsistent: \(detail)"
        case let .sqlite(error):
            return error.description
        }
    }
}
