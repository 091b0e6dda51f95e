import Foundation

/// One schema step: `migrations/NNNN_name.sql`. Shipped migrations are never edited; a change of
/// schema is a new file with the next number.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Parses `migrations/0001_initial.sql` into version 1, name "initial".
    init?(path: String, sql: String) {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard file.hasSuffix(".sql") else { return nil }
        let stem = file.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else { return nil }
        self.init(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
    }

    /// The migrations built into this binary (see the EmbedAssets plugin), in order.
    public static let embedded: [Migration] = EmbeddedAssets.paths(under: "migrations").compactMap { path in
        guard let data = EmbeddedAssets.data(path) else { return nil }
        return Migration(path: path, sql: String(decoding: data, as: UTF8.self))
    }.sorted { $0.version < $1.version }
}
