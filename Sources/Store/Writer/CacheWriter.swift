import CSQLite
import Foundation
import Informer
import Logging

/// The one writer: turns informer batches into SQL, one transaction per batch, and keeps the
/// pod index and the change feed in step after each commit.
///
/// Lives on the writer `DatabaseQueue`, which is its only thread-safety: nothing here is touched
/// from anywhere else.
final class CacheWriter {
    let db: Connection
    let index: PodIndex
    let feed: ChangeFeed
    let retention: RetentionPolicy
    let now: @Sendable () -> Date
    let logger: Logger
    let status: PersistenceStatus
    /// While the database refuses writes, how often a batch tries to write everything pending.
    let storageRetryInterval: TimeInterval
    /// The store sequence number: +1 for every change applied, persisted with each batch.
    private(set) var seq: UInt64
    private var lastPrune: Date?
    /// Non-nil while the database refuses writes: the batches are applied in memory only.
    private var pending: PendingWrites?
    private var lastStorageAttempt: Date?
    /// A previewed relist whose write failed (not for want of storage): the informer hears of
    /// it at its next batch, which fails so that it relists.
    private var failedRelist: (informer: InformerID, error: any Error)?

    init(db: Connection, index: PodIndex, feed: ChangeFeed, status: PersistenceStatus, seq: UInt64,
         retention: RetentionPolicy, storageRetryInterval: TimeInterval, now: @escaping @Sendable () -> Date,
         logger: Logger) {
        self.db = db
        self.index = index
        self.feed = feed
        self.status = status
        self.seq = seq
        self.retention = retention
        self.storageRetryInterval = storageRetryInterval
        self.now = now
        self.logger = logger
    }

    /// One batch in progress: the next seq numbers, the live pods as the batch sees them, and
    /// whether pods or events changed.
    struct Batch {
        let now: Date
        var seq: UInt64
        var live: LiveView
        var podsChanged = false
        var eventsChanged = false
        /// Set when the batch runs in memory only: where its writes go instead of SQL.
        var pending: PendingWrites?

        mutating func nextSeq() -> UInt64 {
            seq += 1
            return seq
        }
    }

    /// The first half of a pods relist: the new pod table goes to the index and the change feed
    /// at once, which is what the UI waits for, and the caller gets the index as it was before.
    /// `replacePods(_:records:resourceVersion:base:)` with that index then writes the same changes
    /// (same seqs) to disk; until it has, the database lags the index by this one relist.
    func previewPods(_ informer: InformerID, records: [PodRecord]) throws -> PodIndexSnapshot {
        let base = index.snapshot()
        var batch = Batch(now: now(), seq: seq, live: LiveView(base: base), pending: PendingWrites(reason: "preview"))
        try replacePods(records, in: informer.namespace, &batch)
        if batch.podsChanged {
            index.apply(batch.live.changes, seq: batch.seq)
            feed.publish(seq: batch.seq, pods: true, events: false)
        }
        return base
    }

    /// The second half failed: the index goes back to what the database holds.
    func abandonPreview(_ informer: InformerID, base: PodIndexSnapshot, error: any Error) {
        index.restore(base)
        feed.publish(seq: seq, pods: true, events: false)
        failedRelist = (informer, error)
    }

    func replaceEvents(_ informer: InformerID, objects: [KubeObject], resourceVersion: String) throws {
        try commit(informer, resourceVersion: resourceVersion, relist: true) { batch in
            try replaceEvents(objects, in: informer.namespace, &batch)
        }
    }

    func replacePods(_ informer: InformerID, records: [PodRecord], resourceVersion: String, base: PodIndexSnapshot) throws {
        try commit(informer, resourceVersion: resourceVersion, relist: true, base: base) { batch in
            try replacePods(records, in: informer.namespace, &batch)
        }
    }

    func apply(_ informer: InformerID, changes: [WatchChange], resourceVersion: String) throws {
        try commit(informer, resourceVersion: resourceVersion, relist: false) { batch in
            for change in changes {
                switch change.object {
                case let .pod(pod, json): try applyPod(change.kind, pod, json, &batch)
                case let .event(event, json): try applyEvent(change.kind, event, json, &batch)
                }
            }
        }
    }

    /// Runs `body` and the resume point in one transaction; on success publishes the result to
    /// the index and the feed. On failure nothing in memory has changed — unless the storage
    /// itself failed (disk full, read-only, I/O): then the batch is applied in memory only and
    /// kept pending, so the UI stays live and says why history is not being kept.
    /// - Parameter base: the index the batch starts from, when it is not the current one (the
    ///   second half of a previewed relist).
    private func commit(_ informer: InformerID, resourceVersion: String, relist: Bool, base: PodIndexSnapshot? = nil,
                        _ body: (inout Batch) throws -> Void) throws {
        if let failed = failedRelist, failed.informer == informer {
            failedRelist = nil
            throw failed.error
        }
        let clock = ContinuousClock()
        let started = clock.now
        // The batch (and with it the index snapshot it started from) ends inside `run`: if it
        // were still alive here, applying its changes would copy the whole index (copy on
        // write), which cost milliseconds per watch batch at 10,000 pods.
        let outcome = try run(informer, resourceVersion: resourceVersion, relist: relist, base: base, body)
        let written = clock.now
        let changed = outcome.seq != seq
        seq = outcome.seq
        if outcome.podsChanged { index.apply(outcome.changes, seq: seq) }
        if changed { feed.publish(seq: seq, pods: outcome.podsChanged, events: outcome.eventsChanged) }
        let log = relist ? Logger.Level.debug : .trace
        logger.log(level: log, "committed informer batch", metadata: [
            "informer": "\(informer)", "store.seq": "\(seq)", "informer.relist": "\(relist)",
            "sql.ms": "\(Self.milliseconds(written - started))", "index.ms": "\(Self.milliseconds(clock.now - written))",
        ])
        if pending == nil { pruneIfDue(outcome.now) }
    }

    private static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    /// What a batch did, without the batch.
    private struct Outcome {
        var seq: UInt64
        var now: Date
        var podsChanged: Bool
        var eventsChanged: Bool
        var changes: [IndexChange]
    }

    private func run(_ informer: InformerID, resourceVersion: String, relist: Bool, base: PodIndexSnapshot?,
                     _ body: (inout Batch) throws -> Void) throws -> Outcome {
        let now = now()
        var batch: Batch
        if let pending, let lastStorageAttempt, now.timeIntervalSince(lastStorageAttempt) < storageRetryInterval {
            batch = try inMemory(pending, now: now, base: base, body)
        } else {
            batch = Batch(now: now, seq: seq, live: LiveView(base: base ?? index.snapshot()))
            do {
                try db.transaction {
                    if let pending { try replay(pending, &batch) }
                    try body(&batch)
                    try saveResumePoint(informer, resourceVersion: resourceVersion, relist: relist, now: batch.now)
                    if batch.seq != seq {
                        try db.run("UPDATE store_meta SET value = ? WHERE key = 'seq'", [.integer(Int64(batch.seq))])
                    }
                }
                if pending != nil { recovered() }
            } catch let error as SQLiteError where error.isStorageFailure {
                lastStorageAttempt = now
                if pending == nil {
                    logger.warning("cannot write the cache; keeping the pod table in memory only", metadata: [
                        "sqlite.code": "\(error.code)", "error": "\(error.message)",
                    ])
                }
                batch = try inMemory(pending ?? PendingWrites(reason: Self.describe(error)), now: now, base: base, body)
            }
        }
        return Outcome(seq: batch.seq, now: batch.now, podsChanged: batch.podsChanged, eventsChanged: batch.eventsChanged,
                       changes: batch.live.changes)
    }

    private func replay(_ pending: PendingWrites, _ batch: inout Batch) throws {
        try replayPods(pending.pods, &batch)
        try replayEvents(pending.events, &batch)
    }

    /// Runs the batch with its writes going to `pending` instead of SQL.
    private func inMemory(_ pending: PendingWrites, now: Date, base: PodIndexSnapshot?,
                          _ body: (inout Batch) throws -> Void) throws -> Batch {
        var batch = Batch(now: now, seq: seq, live: LiveView(base: base ?? index.snapshot()), pending: pending)
        try body(&batch)
        self.pending = batch.pending
        status.set(problem: batch.pending?.reason)
        return batch
    }

    private func recovered() {
        logger.info("cache writable again; pending changes written", metadata: [
            "store.pendingPods": "\(pending?.pods.count ?? 0)", "store.droppedEvents": "\(pending?.droppedEvents ?? 0)",
        ])
        pending = nil
        lastStorageAttempt = nil
        status.set(problem: nil)
    }

    static func describe(_ error: SQLiteError) -> String {
        switch error.primaryCode {
        case SQLITE_FULL: return "the disk is full"
        case SQLITE_READONLY: return "the cache file or its folder is read-only"
        case SQLITE_CORRUPT, SQLITE_NOTADB: return "the cache file is damaged (it is moved aside at the next start)"
        default: return "the cache file cannot be written (\(error.message))"
        }
    }

    private func saveResumePoint(_ informer: InformerID, resourceVersion: String, relist: Bool, now: Date) throws {
        try db.run("""
            INSERT INTO informer_state (informer, resource_version, last_sync_at, last_relist_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (informer) DO UPDATE SET
                resource_version = excluded.resource_version,
                last_sync_at = excluded.last_sync_at,
                last_relist_at = coalesce(excluded.last_relist_at, informer_state.last_relist_at)
            """, [.text(informer.description), .text(resourceVersion), .date(now), relist ? .date(now) : .null])
    }

    /// Retention runs on the writer between batches, a small step at a time, so it never holds
    /// the write lock for long and needs no task of its own.
    private func pruneIfDue(_ now: Date) {
        if let lastPrune, now.timeIntervalSince(lastPrune) < retention.interval { return }
        lastPrune = now
        do {
            let removed = try pruneStep(now: now)
            if removed > 0 { logger.debug("pruned history", metadata: ["store.rows": "\(removed)"]) }
        } catch {
            // History that outlives its period is harmless; the next step tries again.
            logger.warning("pruning history failed", metadata: ["error": "\(error)"])
        }
    }
}
