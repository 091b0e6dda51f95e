import CSQLite
import Synchronization

/// Copies the write-ahead log back into the database file as a job of its own on the writer's
/// queue, instead of inside the commit that crosses the threshold.
///
/// SQLite's automatic checkpoint runs within COMMIT, so a 10,000-pod relist (~60 MB of WAL)
/// also paid for copying all of it and an fsync before its batch reached the index and the
/// writer could take the next one. Queued right after instead, the commit and the index update
/// no longer wait for it, and it still never races the writer: it copies every frame, and the
/// next transaction starts the WAL over. (A checkpoint on a connection of its own, tried first,
/// never found the WAL complete under a stream of watch batches: the WAL grew to 260 MB.)
final class Checkpointer: Sendable {
    struct Result: Sendable, Equatable {
        /// Frames in the WAL, and how many of them are now in the database file.
        var logFrames: Int
        var checkpointedFrames: Int
    }

    let thresholdPages: Int
    private let walPages = Atomic<Int>(0)
    private let queued = Atomic<Bool>(false)
    private let last = Mutex<Result?>(nil)

    init(thresholdPages: Int) {
        self.thresholdPages = thresholdPages
    }

    /// From the writer connection's WAL hook, inside each commit.
    func committed(walPages pages: Int) {
        walPages.store(pages, ordering: .releasing)
    }

    /// True once per crossing of the threshold: the caller queues `run`.
    func claimDue() -> Bool {
        walPages.load(ordering: .acquiring) >= thresholdPages && !queued.exchange(true, ordering: .acquiringAndReleasing)
    }

    /// On the writer's queue, between batches. A failure (busy, I/O) leaves the frames in the
    /// WAL, where readers still find them; the next commit past the threshold tries again.
    func run(_ db: Connection) {
        queued.store(false, ordering: .releasing)
        var log: Int32 = 0
        var done: Int32 = 0
        if sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK {
            walPages.store(0, ordering: .releasing)
            last.withLock { $0 = Result(logFrames: Int(log), checkpointedFrames: Int(done)) }
        }
    }

    /// What the latest checkpoint achieved.
    var lastResult: Result? { last.withLock { $0 } }
}
