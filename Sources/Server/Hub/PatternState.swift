import Synchronization

/// The server-wide regex (as in the seed: one pattern for every browser). `--pod` pre-seeds it.
/// Each change gets a new generation, so a `pods` message computed for an older pattern can be
/// told apart from one for the current pattern (see `PodsOrder`).
final class PatternState: Sendable {
    private let current: Mutex<(pattern: String?, generation: UInt64)>

    init(initial: String?) { current = Mutex((initial, 0)) }

    var pattern: String? { current.withLock { $0.pattern } }

    var snapshot: (pattern: String?, generation: UInt64) { current.withLock { $0 } }

    /// Sets the pattern and returns its generation.
    @discardableResult
    func set(_ pattern: String?) -> UInt64 {
        current.withLock {
            $0.generation += 1
            $0.pattern = pattern
            return $0.generation
        }
    }
}

/// Which of two `pods` messages is newer: the pattern generation first, then the index seq.
/// Messages are built concurrently (a refresh, a watched change, a pattern change), so one
/// computed for the old pattern can be ready after the one for the new pattern; a session
/// never sends or keeps an older one after a newer one.
struct PodsOrder: Comparable, Sendable {
    var generation: UInt64
    var seq: UInt64

    static func < (a: PodsOrder, b: PodsOrder) -> Bool {
        (a.generation, a.seq) < (b.generation, b.seq)
    }
}
