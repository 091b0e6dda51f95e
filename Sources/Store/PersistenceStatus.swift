import Synchronization

/// Whether the cache is writing to disk. Set by the writer, read by anyone.
final class PersistenceStatus: Sendable {
    private let problem = Mutex<String?>(nil)

    var current: String? { problem.withLock { $0 } }

    func set(problem text: String?) { problem.withLock { $0 = text } }
}
