import Foundation

/// The real kube-apiserver captures in `../shared/fixtures/real-apiserver/` (beside the repo).
enum Fixtures {
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }  // Tests/KubeSimTests/Fixtures.swift → repo
        return dir.deletingLastPathComponent().appending(path: "shared/fixtures/real-apiserver")
    }()

    static func data(_ version: String, _ path: String) throws -> Data {
        try Data(contentsOf: root.appending(path: "\(version)/\(path)"))
    }

    /// The `Date` response header of a capture: the server's "now" for its printed ages.
    static func responseDate(_ version: String, _ headersPath: String) throws -> Date {
        let text = String(decoding: try data(version, headersPath), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Date: ") }!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: String(line.dropFirst(6)))!
    }

    /// Rows of a TSV file, without its `#` header.
    static func tsv(_ version: String, _ path: String) throws -> [[String]] {
        String(decoding: try data(version, path), as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
