import Foundation
import Logging

/// How to open a cluster cache.
public struct CacheConfiguration: Sendable {
    /// What to do when the file is not a usable SQLite database.
    public enum CorruptionPolicy: Sendable {
        /// Refuse to open, changing nothing (for a path the user named with `--db`).
        case fail
        /// Rename the file (and its -wal/-shm) to `<name>.corrupt-<time>` with a warning and
        /// start an empty cache: the informers rebuild it from the cluster, nothing is deleted.
        case moveAside
    }

    /// The database file (see `DatabaseLocation.databaseFile`), or `inMemory`.
    public var path: String
    public var retention = RetentionPolicy()
    public var onCorruption: CorruptionPolicy = .moveAside
    /// The schema steps; the ones built into the binary unless a test says otherwise.
    public var migrations: [Migration] = Migration.embedded
    /// While the disk refuses writes, how often to try writing what is pending.
    public var storageRetryInterval: TimeInterval = 30
    /// The clock for stored times and retention (tests inject one).
    public var now: @Sendable () -> Date = { Date() }
    public var logger = Logger(label: "kubeluma.store")
    /// The WAL size (in 4 KB pages) past which it is copied back into the database file, by a job
    /// of its own after the commit that crossed it (see `Checkpointer`).
    public var checkpointPages = 4096

    public init(path: String) {
        self.path = path
    }

    /// `--db :memory:`: nothing about the cluster is written to disk (for machines where pod
    /// env values and event messages must not be kept), at the cost of a cold start every time
    /// and no history beyond the process.
    public static let inMemory = ":memory:"
    public var isInMemory: Bool { path == Self.inMemory }
}
