import CSQLite
import Synchronization

/// Copies the write-ahead log back into the database file on its own connection and queue.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, so a
/// 10,000-pod relist (~60 MB of WAL) also paid for copying all of it into the database and an
/// fsync before the writer could take the next batch. Here the writer's commits only report the
/// WAL's size; past `thresholdPages` a PASSIVE checkpoint is queued, which never blocks the
/// writer or readers (it copies what no reader still needs and leaves the rest for next time).
final class Checkpointer: Sendable {
    struct Result: Sendable, Equatable {
        /// Frames in the WAL, and how many of them are now in the database file.
        var logFrames: Int
        var checkpointedFrames: Int
    }

    private let queue: DatabaseQueue<Connection>
    private let thresholdPages: Int
    private let queued = Atomic<Bool>(false)
    private let last = Mutex<Result?>(nil)

    init(path: String, thresholdPages: Int) throws(SQLiteError) {
        queue = DatabaseQueue(label: "kubeluma.store.checkpointer", context: try Connection(path: path, mode: .checkpointer))
        self.thresholdPages = thresholdPages
    }

    /// From the writer's WAL hook, after each commit.
    func committed(walPages: Int) {
        guard walPages >= thresholdPages, !queued.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.enqueue { db in
            self.queued.store(false, ordering: .releasing)
            self.checkpoint(db)
        }
    }

    private func checkpoint(_ db: Connection) {
        var log: Int32 = 0
        var done: Int32 = 0
        // A failure (busy, I/O) leaves the frames in the WAL, where readers still find them;
        // the next commit past the threshold tries again.
        if sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK {
            last.withLock { $0 = Result(logFrames: Int(log), checkpointedFrames: Int(done)) }
        }
    }

    /// What the latest checkpoint achieved, once every queued one has run (for tests).
    func settled() async throws -> Result? {
        try await queue.run { _ in self.last.withLock { $0 } }
    }
}
