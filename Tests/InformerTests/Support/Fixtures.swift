import Foundation

/// Locates the genuine kube-apiserver captures in `../shared/fixtures/real-apiserver`
/// relative to the package root, found from this file's path so tests work from any
/// working directory and any worktree.
enum Fixtures {
    static let packageRoot: URL = {
        // Tests/InformerTests/Support/Fixtures.swift → package root is three folders up.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    static let realAPIServer: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/real-apiserver")

    static func url(_ version: String, _ path: String) -> URL {
        realAPIServer.appendingPathComponent(version).appendingPathComponent(path)
    }

    static func data(_ version: String, _ path: String) throws -> Data {
        try Data(contentsOf: url(version, path))
    }

    static func bytes(_ version: String, _ path: String) throws -> [UInt8] {
        [UInt8](try data(version, path))
    }

    /// The tab-separated golden rows, without the `#` header line.
    static func tsv(_ version: String, _ path: String) throws -> [[String]] {
        try String(contentsOf: url(version, path), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// When a request was sent, from the version's `index.json` (the `now` for age columns).
    static func captureTime(_ version: String, file: String) throws -> Date {
        struct Entry: Decodable { var file: String; var time: String }
        let entries = try JSONDecoder().decode([Entry].self, from: data(version, "index.json"))
        guard let entry = entries.first(where: { $0.file == file }) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Date(timeIntervalSince1970: ISO8601DateFormatter().date(from: entry.time)!.timeIntervalSince1970)
    }
}
