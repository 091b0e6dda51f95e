import CMalloc
import Foundation
import Synchronization
import Informer
import Logging

/// The informer cache of one cluster scope: pods (live and tombstones), container terminations,
/// events and resume points in SQLite, plus the in-memory pod index the UI's table is answered
/// from.
///
/// One writer connection (on its own serial queue) applies informer batches, one transaction
/// per batch; a separate read-only connection answers history queries, so a focus view does not
/// wait for a 10,000-pod relist to commit (WAL lets it read the last committed state).
/// One kubeluma process per file: see `ExclusiveLock`.
///
/// Use from the server:
/// ```swift
/// var configuration = CacheConfiguration(path: DatabaseLocation.databaseFile(
///     server: cluster.server, context: contextName, namespace: namespaceScope, override: dbFlag).path)
/// configuration.retention.history = historyFlag          // --history, default 7 days
/// let cache = try ClusterCache.open(configuration)       // warm: index filled from disk
/// // hand `cache` to the informers as their InformerStore, then:
/// for await change in cache.changes() {                  // coalesced: only the newest is kept
///     let (pods, seq) = try cache.index.pods(matching: pattern)   // sorted, bounded in time
///     let events = try await cache.events(podUID: focused.uid)    // newest first, expired marked
/// }
/// ```
public final class ClusterCache: InformerStore {
    public let path: String
    /// The live pods, in memory. Reading it never touches disk.
    public let index: PodIndex
    let writer: DatabaseQueue<CacheWriter>
    let reader: DatabaseQueue<Connection>
    /// Copies the WAL into the database file between the writer's jobs; nil in memory.
    let checkpointer: Checkpointer?
    /// Previewed relists whose write has not finished yet.
    private let writesBehind = Atomic<Int>(0)
    let feed: ChangeFeed
    let status: PersistenceStatus
    /// The one-process-per-file lock; nil in memory.
    private let lock: ExclusiveLock?

    init(path: String, index: PodIndex, writer: DatabaseQueue<CacheWriter>, reader: DatabaseQueue<Connection>,
         checkpointer: Checkpointer?, feed: ChangeFeed, status: PersistenceStatus, lock: ExclusiveLock?) {
        self.checkpointer = checkpointer
        self.path = path
        self.status = status
        self.index = index
        self.writer = writer
        self.reader = reader
        self.feed = feed
        self.lock = lock
    }

    deinit { feed.finish() }

    /// Ends every `changes()` stream, so the server's loops over them finish at shutdown. The
    /// connections and the lock are released when the last reference to the cache goes.
    public func close() { feed.finish() }

    /// Why history is not being kept right now ("the disk is full", "… read-only"), or nil.
    /// While set, informer batches still update the index and the change feed, and are kept in
    /// memory to be written when the database accepts writes again (retried every
    /// `CacheConfiguration.storageRetryInterval`). Show it to the user.
    public var historyProblem: String? { status.current }

    // MARK: Change notification

    /// The newest seq overall and for pods and events.
    public var latestChange: StoreChange { feed.latest }

    /// Yields the current `StoreChange` at once, then after every commit that changed
    /// something. Only the newest value is buffered: after a wake-up, ask
    /// `index.snapshot().changes(since:)` or `events(…, changedAfter:)` what changed.
    public func changes() -> AsyncStream<StoreChange> { feed.subscribe() }

    // MARK: InformerStore

    public func resumePoint(for informer: InformerID) async throws -> String? {
        let key = informer.description
        return try await read { db in
            try db.scalarText("SELECT resource_version FROM informer_state WHERE informer = ?", [.text(key)])
        }
    }

    /// A relist. For pods, the index (and so the UI) has the new table as soon as it is
    /// computed; the transaction that writes it follows on the writer queue before any later
    /// batch, and the call returns without waiting for it. A 10,000-pod transaction takes
    /// longer than listing and decoding the pods, so this halves the cold start. A failed write
    /// is kept in memory and retried like any other (see `CacheWriter`); any other failure puts
    /// the index back and fails the informer's next batch, so it relists. The resume point is
    /// written with the rows, so a crash in between only means the next start relists.
    public func replace(_ informer: InformerID, objects: [KubeObject], resourceVersion: String) async throws {
        defer { returnFreedMemoryLater() }
        guard informer.resource == .pods else {
            try await writer.run { writer in
                try writer.replaceEvents(informer, objects: objects, resourceVersion: resourceVersion)
            }
            checkpointIfDue()
            return
        }
        let records = PodRecord.records(objects)
        let base = SnapshotBox()
        try await writer.run({ writer in
            if records.count < objects.count {
                writer.logger.warning("ignored pods without uid or name", metadata: ["pods.ignored": "\(objects.count - records.count)"])
            }
            base.value = try writer.previewPods(informer, records: records)
            self.writesBehind.add(1, ordering: .releasing)
        }, then: { writer in
            guard let snapshot = base.value else { return }
            defer { self.writesBehind.subtract(1, ordering: .releasing) }
            do {
                try writer.replacePods(informer, records: records, resourceVersion: resourceVersion, base: snapshot)
                self.checkpointIfDue()
            } catch {
                writer.logger.error("writing the relisted pods failed", metadata: ["informer": "\(informer)", "error": "\(error)"])
                writer.abandonPreview(informer, base: snapshot, error: error)
            }
        })
    }

    /// A relist's bodies, decode buffers and objects (hundreds of MB at 10,000 pods and 50,000
    /// events) are freed once they are written, but glibc keeps freed memory in its arenas: the
    /// resident size stayed at the relist's peak (~320 MB at 10,000 pods; ~170 MB once handed
    /// back). It is handed back from the writer queue, after the write, and a second later, by
    /// when the informer that listed has dropped its copy and is watching.
    private func returnFreedMemoryLater() {
        writer.schedule(after: .seconds(1)) { _ in
            #if canImport(Glibc)
            malloc_trim(0)
            #endif
        }
    }

    public func apply(_ informer: InformerID, changes: [WatchChange], resourceVersion: String) async throws {
        try await writer.run { writer in
            try writer.apply(informer, changes: changes, resourceVersion: resourceVersion)
        }
        checkpointIfDue()
    }

    /// Queues a checkpoint behind the batch that took the WAL past the threshold.
    private func checkpointIfDue() {
        guard let checkpointer, checkpointer.claimDue() else { return }
        writer.enqueue { writer in
            let started = ContinuousClock.now
            checkpointer.run(writer.db)
            writer.logger.debug("checkpointed the WAL", metadata: [
                "wal.frames": "\(checkpointer.lastResult?.logFrames ?? 0)", "duration": "\(ContinuousClock.now - started)"])
        }
    }

    /// The latest checkpoint's result, once every job queued so far has run (for tests).
    func lastCheckpoint() async throws -> Checkpointer.Result? {
        try await writer.run { _ in self.checkpointer?.lastResult }
    }

    /// Returns once every batch handed to the store so far has been written (or kept in memory
    /// for want of storage): a pods relist returns before its transaction ends.
    public func writesSettled() async throws {
        try await writer.run { _ in }
    }

    /// Reads the database, after any relist the index already shows has been written: a pod
    /// clicked in a table that has just appeared must be found on disk too.
    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        if writesBehind.load(ordering: .acquiring) > 0 {
            try await writer.run { _ in }
        }
        return try await reader.run(body)
    }

    /// Hands the pre-relist index from the preview to the write; both run on the writer queue.
    private final class SnapshotBox: @unchecked Sendable {
        var value: PodIndexSnapshot?
    }

    // MARK: Retention

    /// Prunes everything outside the retention policy now, in small steps (the writer also
    /// does a step every `RetentionPolicy.interval` between batches). Returns the rows removed.
    @discardableResult
    public func pruneHistory() async throws -> Int {
        var total = 0
        while true {
            let removed = try await writer.run { writer in try writer.pruneStep(now: writer.now()) }
            total += removed
            if removed == 0 { return total }
        }
    }
}
