import Synchronization

/// Compiled patterns by text, so a pattern typed once and re-evaluated every refresh for every
/// client is compiled (and JIT-compiled) once. Small and flushed when full: the working set is
/// the few patterns the open browser tabs use.
final class PatternCache: Sendable {
    private let compiled = Mutex<[String: RegexPattern]>([:])
    static let limit = 64

    func pattern(_ text: String) throws(PatternError) -> RegexPattern {
        if let hit = compiled.withLock({ $0[text] }) { return hit }
        let pattern = try RegexPattern(text)
        compiled.withLock { cache in
            if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = pattern
        }
        return pattern
    }
}
