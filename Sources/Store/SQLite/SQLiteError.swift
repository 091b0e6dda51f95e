import CSQLite

/// A failed SQLite call. Carries the statement text and SQLite's result code and message so a
/// bug report says what failed and why, but never the bound values: those are cluster data
/// (pod JSON, event messages) that do not belong in logs or error text.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, …).
    public var code: Int32
    public var message: String
    /// The SQL being prepared or run, if any.
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code: the extended code's low byte.
    public var primaryCode: Int32 { code & 0xFF }

    /// The file is not a database, or is damaged: the caller's cue to move it aside.
    public var isCorruption: Bool { primaryCode == SQLITE_NOTADB || primaryCode == SQLITE_CORRUPT }

    public var description: String {
        var text = "SQLite error \(code) (\(String(cString: sqlite3_errstr(code)))): \(message)"
        if let sql { text += " — while running: \(sql)" }
        return text
    }
}
