import CSQLite
import Foundation

/// One SQLite connection and its cache of prepared statements.
///
/// Not thread-safe by design: the store gives the single writer connection to one actor and each
/// reader connection to one lock, so SQLite's own mutexes are switched off (`NOMUTEX`).
final class Connection {
    enum Mode { case writer, reader }

    let handle: OpaquePointer
    let path: String
    private var statements: [StatementKey: Statement] = [:]
    /// Kept alive as long as the connection that calls it.
    private var walHook: WALHookBox?

    /// How long a statement waits on another connection's lock before failing with SQLITE_BUSY.
    /// Long enough to ride out a 10,000-pod replace on the writer; short enough not to look hung.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    init(path: String, mode: Mode) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let access = mode == .writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY
        let flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
        do {
            try configure(mode)
        } catch {
            statements.removeAll()
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The first statements that read the file: this is where a file that is not SQLite, or is
    /// damaged in its header, is found (SQLITE_NOTADB), before anything is written to it.
    private func configure(_ mode: Mode) throws(SQLiteError) {
        _ = try scalarText("SELECT count(*) FROM sqlite_master")
        switch mode {
        case .writer:
            // WAL lets readers go on while the writer commits; the pragma answers with the mode
            // it actually chose, which differs when the file system or file cannot do WAL.
            let journal = try scalarText("PRAGMA journal_mode=WAL")
            // An in-memory database keeps its journal in memory; it has only this connection.
            guard journal?.lowercased() == "wal" || (path == ":memory:" && journal?.lowercased() == "memory") else {
                throw SQLiteError(code: SQLITE_ERROR, message: "journal_mode=WAL refused (got \(journal ?? "nothing"))",
                                  sql: "PRAGMA journal_mode=WAL")
            }
            // NORMAL in WAL mode keeps the database consistent on power loss; it may lose the last
            // commits, which the informers fetch again on resume.
            try execute("PRAGMA synchronous=NORMAL")
            // A 10,000-pod relist grows the WAL to the size of the data; without a limit the
            // file keeps that size for good after each checkpoint.
            try execute("PRAGMA journal_size_limit=67108864")
            // The relist's scratch table of event uids never needs to touch disk.
            try execute("PRAGMA temp_store=MEMORY")
            // Watch batches touch pages all over a ~250 MB file (pods by uid and by name,
            // events by uid): with SQLite's default 2 MB cache a third of the informers' CPU
            // went to pread, pwrite and fsync.
            try execute("PRAGMA cache_size=-32768")
        case .reader:
            try execute("PRAGMA query_only=1")
        }
        try execute("PRAGMA foreign_keys=ON")
        guard try scalarText("PRAGMA foreign_keys") == "1" else {
            throw SQLiteError(code: SQLITE_ERROR, message: "foreign_keys could not be enabled", sql: "PRAGMA foreign_keys=ON")
        }
    }

    func error(_ code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle) != 0 ? sqlite3_extended_errcode(handle) : code,
                    message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Calls `body` with the WAL's size in pages after every commit, instead of SQLite's own
    /// automatic checkpoint (which would run inside the committing call).
    func onWALCommit(_ body: @escaping @Sendable (Int) -> Void) {
        let box = WALHookBox(body)
        walHook = box
        sqlite3_wal_hook(handle, { context, _, _, pages in
            Unmanaged<WALHookBox>.fromOpaque(context!).takeUnretainedValue().body(Int(pages))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }

    /// Runs a script of one or more statements without parameters (migrations, pragmas).
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, reset and bound to `values`.
    func prepare(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> Statement {
        let statement: Statement
        let key = StatementKey(sql: sql)
        if let cached = statements[key] {
            statement = cached
            statement.reset()
        } else {
            statement = try Statement(connection: self, sql: sql)
            statements[key] = statement
        }
        try statement.bind(values)
        return statement
    }

    /// Runs a statement that returns no rows.
    func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        let statement = try prepare(sql, values)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs a query and maps each row.
    func query<Row>(_ sql: String, _ values: [SQLValue] = [], row: (Statement) throws(SQLiteError) -> Row) throws(SQLiteError) -> [Row] {
        let statement = try prepare(sql, values)
        defer { statement.reset() }
        var rows: [Row] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// Visits each row without collecting them (large scans, such as the warm start).
    func forEach(_ sql: String, _ values: [SQLValue] = [], _ body: (Statement) throws(SQLiteError) -> Void) throws(SQLiteError) {
        let statement = try prepare(sql, values)
        defer { statement.reset() }
        while try statement.step() {
            try body(statement)
        }
    }

    func scalarText(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> String? {
        try query(sql, values) { $0.optionalText(0) }.first ?? nil
    }

    func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> Int? {
        try query(sql, values) { $0.optionalInt(0) }.first ?? nil
    }

    /// Number of rows changed by the last INSERT/UPDATE/DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one transaction. `BEGIN IMMEDIATE` takes the write lock at the start, so a
    /// busy database is met (and waited for) before any work, never halfway through a batch.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// The statement cache's key. Hashing a whole statement (a pod's upsert is ~700 bytes) on every
/// call was a tenth of a relist's write; its length and last bytes tell the statements apart,
/// and equality is a pointer comparison for the string literals nearly all of them are.
private struct StatementKey: Hashable {
    let sql: String

    func hash(into hasher: inout Hasher) {
        hasher.combine(sql.utf8.count)
        for byte in sql.utf8.suffix(48) { hasher.combine(byte) }
    }
}

private final class WALHookBox {
    let body: @Sendable (Int) -> Void
    init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }
}
