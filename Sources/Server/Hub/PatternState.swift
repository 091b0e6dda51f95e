import Synchronization

/// The server-wide regex (as in the seed: one pattern for every browser). `--pod` pre-seeds it.
final class PatternState: Sendable {
    private let current: Mutex<String?>

    init(initial: String?) { current = Mutex(initial) }

    var pattern: String? { current.withLock { $0 } }

    func set(_ pattern: String?) { current.withLock { $0 = pattern } }
}
