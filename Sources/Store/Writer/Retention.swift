import Foundation

/// How much history the cache keeps: tombstones, expired events and terminations older than
/// `history` go, and each kind is capped in rows so a busy cluster cannot grow the file
/// without bound. Live pods and unexpired events are never pruned: they are the present.
public struct RetentionPolicy: Sendable {
    /// `--history`, 7 days by default.
    public var history: TimeInterval = 7 * 24 * 3600
    public var maxTombstones = 50_000
    public var maxExpiredEvents = 200_000
    public var maxTerminations = 200_000
    /// Rows deleted per kind per step: a step is a few milliseconds of write lock.
    public var batchSize = 500
    /// How often the writer takes a step between informer batches.
    public var interval: TimeInterval = 60

    public init() {}
}

extension CacheWriter {
    /// Deletes up to `batchSize` rows of each kind that fall outside the retention policy, in
    /// one short transaction. Returns how many rows went; call again while it returns > 0.
    func pruneStep(now: Date) throws -> Int {
        let cutoff = now.addingTimeInterval(-retention.history)
        let limit = SQLValue.int(retention.batchSize)
        return try db.transaction {
            var removed = 0
            // Terminations of pruned tombstones go with them (ON DELETE CASCADE).
            try db.run("""
                DELETE FROM pods WHERE uid IN (
                    SELECT uid FROM pods WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at LIMIT ?)
                """, [.date(cutoff), limit])
            removed += db.changes
            try db.run("""
                DELETE FROM events WHERE uid IN (
                    SELECT uid FROM events WHERE expired_at IS NOT NULL AND updated_at < ? ORDER BY updated_at LIMIT ?)
                """, [.date(cutoff), limit])
            removed += db.changes
            try db.run("""
                DELETE FROM container_terminations WHERE id IN (
                    SELECT id FROM container_terminations WHERE observed_at < ? ORDER BY observed_at LIMIT ?)
                """, [.date(cutoff), limit])
            removed += db.changes
            removed += try trimToCap("pods", key: "uid", where: "deleted_at IS NOT NULL", order: "deleted_at",
                                     cap: retention.maxTombstones)
            removed += try trimToCap("events", key: "uid", where: "expired_at IS NOT NULL", order: "updated_at",
                                     cap: retention.maxExpiredEvents)
            removed += try trimToCap("container_terminations", key: "id", where: "1", order: "observed_at",
                                     cap: retention.maxTerminations)
            return removed
        }
    }

    /// Deletes the oldest rows over `cap`, at most a batch of them.
    private func trimToCap(_ table: String, key: String, where condition: String, order: String, cap: Int) throws -> Int {
        let count = try db.scalarInt("SELECT count(*) FROM \(table) WHERE \(condition)") ?? 0
        guard count > cap else { return 0 }
        try db.run("""
            DELETE FROM \(table) WHERE \(key) IN (
                SELECT \(key) FROM \(table) WHERE \(condition) ORDER BY \(order) LIMIT ?)
            """, [.int(min(count - cap, retention.batchSize))])
        return db.changes
    }
}
