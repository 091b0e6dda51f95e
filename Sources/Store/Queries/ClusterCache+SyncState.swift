import Foundation
import Informer

/// Where an informer stood when it last committed: what a warm start shows as "last synced".
public struct InformerSyncState: Sendable, Equatable {
    public var resourceVersion: String
    /// The last committed replace or apply.
    public var lastSyncAt: Date
    /// The last committed replace (relist), if any.
    public var lastRelistAt: Date?
}

extension ClusterCache {
    /// The informer's last committed sync, or nil if it never synced into this cache. A server
    /// starting warm shows the table from the index, marked stale as of `lastSyncAt`, until the
    /// informer commits again (a `StoreChange` arrives).
    public func syncState(for informer: InformerID) async throws -> InformerSyncState? {
        let key = informer.description
        return try await read { db in
            try db.query("SELECT resource_version, last_sync_at, last_relist_at FROM informer_state WHERE informer = ?",
                         [.text(key)]) { row in
                InformerSyncState(resourceVersion: row.text(0), lastSyncAt: row.optionalDate(1) ?? .distantPast,
                                  lastRelistAt: row.optionalDate(2))
            }.first
        }
    }
}
