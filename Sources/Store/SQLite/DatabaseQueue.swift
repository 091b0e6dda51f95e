import Dispatch

/// Serialises all use of one connection (and whatever state goes with it) on a private dispatch
/// queue.
///
/// SQLite calls block: a 10,000-pod replace holds the writer for a few hundred milliseconds. Run
/// on the Swift concurrency pool, that would take one of this machine's two cooperative threads
/// away from the server; on a dispatch queue it only makes the awaiting task wait.
///
/// `@unchecked Sendable`: `context` is only touched on `queue`, which is serial.
final class DatabaseQueue<Context>: @unchecked Sendable {
    private let queue: DispatchQueue
    private let context: Context

    init(label: String, context: Context) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        self.context = context
    }

    /// Runs on `other`'s queue: for a second view of a context that `other` also touches (an
    /// in-memory database has one connection for writing and reading).
    init<Other>(sharingQueueOf other: DatabaseQueue<Other>, context: Context) {
        queue = other.queue
        self.context = context
    }

    /// Runs `body` on the queue and waits for it without blocking a concurrency thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (Context) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.context) })
            }
        }
    }

    /// Runs `body` and returns its result to the caller as soon as it is done, then runs `then`
    /// on the queue before anything queued later: work the caller need not wait for, but that
    /// must happen before the next job.
    func run<T: Sendable>(_ body: @escaping @Sendable (Context) throws -> T,
                          then: @escaping @Sendable (Context) -> Void) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.context) })
                then(self.context)
            }
        }
    }

    /// Runs `body` on the queue without waiting for it.
    func enqueue(_ body: @escaping @Sendable (Context) -> Void) {
        queue.async { body(self.context) }
    }

    /// Runs `body` on the queue once `delay` has passed, without waiting for it: housekeeping
    /// that must not overlap a job.
    func schedule(after delay: DispatchTimeInterval, _ body: @escaping @Sendable (Context) -> Void) {
        queue.asyncAfter(deadline: .now() + delay) { body(self.context) }
    }

    /// Runs `body` on the queue, blocking the caller: only for opening and closing, before the
    /// store is shared.
    func sync<T>(_ body: (Context) throws -> T) rethrows -> T {
        try queue.sync { try body(context) }
    }
}
