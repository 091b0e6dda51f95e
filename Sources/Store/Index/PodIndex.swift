import Synchronization

/// The live pods in memory, kept in step with the `pods` table by the writer (updated right
/// after each commit, in one step, so a reader sees a whole batch or none of it), and built from
/// the table at start-up before any network call.
///
/// Reads copy the snapshot under the lock (O(1)) and work on the copy, so a slow pattern never
/// holds up the writer or other readers.
public final class PodIndex: Sendable {
    private let state: Mutex<PodIndexSnapshot>
    private let patterns = PatternCache()

    init(rows: [PodRow], seq: UInt64) {
        state = Mutex(PodIndexSnapshot(rows: rows, seq: seq))
    }

    /// The current live pods; cheap, and stable while you hold it.
    public func snapshot() -> PodIndexSnapshot { state.withLock { $0 } }

    public var seq: UInt64 { state.withLock { $0.seq } }

    /// Compiles `pattern` (cached per pattern text) and returns the matching pods with the seq
    /// they reflect.
    public func pods(matching pattern: String, subject: PatternSubject = .name,
                     budget: Duration = .milliseconds(100)) throws(PatternError) -> (pods: [PodRow], seq: UInt64) {
        let compiled = try patterns.pattern(pattern)
        let current = snapshot()
        return (try current.pods(matching: compiled, subject: subject, budget: budget), current.seq)
    }

    /// Puts back an earlier snapshot (a previewed relist whose write failed).
    func restore(_ snapshot: PodIndexSnapshot) {
        state.withLock { $0 = snapshot }
    }

    func apply(_ changes: [IndexChange], seq: UInt64) {
        state.withLock { $0.apply(changes, seq: seq) }
    }
}
