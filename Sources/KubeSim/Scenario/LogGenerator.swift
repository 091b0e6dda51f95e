import Foundation

/// Deterministic container output: line `i` of a container instance is written at
/// `start + i / rate` and its text depends only on (instance, i), so a reopened stream or a
/// `sinceTime` request sees exactly the lines it would on a real node. A mix of JSON and plain
/// lines, some long, some non-ASCII, as real services write.
struct LogGenerator: Sendable {
    let seed: UInt64
    let start: Date
    let rate: Double
    /// Lines kept on the node; older ones are rotated away.
    static let retainedLines = 5_000

    init(instance: String, start: Date, rate: Double) {
        self.seed = stableHash(instance)
        self.start = start
        self.rate = max(rate, 0.001)
    }

    func time(ofLine index: Int) -> Date { start.addingTimeInterval(Double(index) / rate) }

    /// Number of lines written up to `date` (exclusive).
    func count(at date: Date) -> Int {
        max(0, Int((date.timeIntervalSince(start) * rate).rounded(.down)) + 1)
    }

    /// The first line index written at or after `date`.
    func firstLine(atOrAfter date: Date) -> Int {
        max(0, Int((date.timeIntervalSince(start) * rate).rounded(.up)))
    }

    func line(_ index: Int, container: String) -> String {
        var rng = SeededRandom(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let ts = WireTime.micro(time(ofLine: index))
        let kind = Int.random(in: 0..<100, using: &rng)
        let paths = ["/v1/items", "/v1/orders", "/healthz", "/v1/users/me", "/metrics", "/v1/cart/checkout"]
        switch kind {
        case 0..<55:
            let status = rng.chance(0.93) ? 200 : [404, 500, 503][Int.random(in: 0..<3, using: &rng)]
            return "{\"level\":\"\(status >= 500 ? "error" : "info")\",\"ts\":\"\(ts)\",\"logger\":\"\(container)\",\"msg\":\"handled request\",\"method\":\"GET\",\"path\":\"\(paths[Int.random(in: 0..<paths.count, using: &rng)])\",\"status\":\(status),\"duration_ms\":\(Int.random(in: 1...900, using: &rng)),\"line\":\(index)}"
        case 55..<85:
            let level = ["INFO", "INFO", "DEBUG", "WARN"][Int.random(in: 0..<4, using: &rng)]
            return "\(ts) \(level)  [\(container)] processed batch \(index) of \(Int.random(in: 100...900, using: &rng)) in \(Int.random(in: 2...400, using: &rng))ms"
        case 85..<93:
            return "\(ts) INFO  Überprüfung abgeschlossen ✓ — 処理完了 (line \(index)) <script>alert('not html')</script>"
        case 93..<97:
            return "\(ts) WARN  slow query (\(Int.random(in: 500...5000, using: &rng))ms): " + String(repeating: "SELECT id, name FROM items WHERE tenant = $1 AND ", count: 40) + "true"
        default:
            return "\(ts) ERROR upstream \(paths[Int.random(in: 0..<paths.count, using: &rng)]) failed: context deadline exceeded (line \(index))"
        }
    }
}
