import Foundation

/// History queries, answered from the read-only connection: the last committed state, without
/// waiting for the writer.
extension ClusterCache {
    /// Events about the pod with this uid, newest first, expired ones included (and marked).
    /// `changedAfter` keeps only events changed after that seq, for incremental updates.
    public func events(podUID: String, changedAfter: UInt64? = nil, limit: Int = 1_000) async throws -> [StoredEvent] {
        try await read { db in
            try db.query("""
                SELECT \(Self.eventColumns) FROM events
                WHERE involved_uid = ? AND seq > ?
                ORDER BY last_seen DESC, uid LIMIT ?
                """, [.text(podUID), .integer(Int64(changedAfter ?? 0)), .int(limit)], row: Self.event)
        }
    }

    /// Events about any pod that had this namespace and name (earlier pods of the same name
    /// included; use `events(podUID:)` for one pod's own), newest first.
    public func events(namespace: String, podName: String, changedAfter: UInt64? = nil,
                       limit: Int = 1_000) async throws -> [StoredEvent] {
        try await read { db in
            try db.query("""
                SELECT \(Self.eventColumns) FROM events
                WHERE involved_namespace = ? AND involved_name = ? AND coalesce(involved_kind, 'Pod') = 'Pod'
                  AND seq > ?
                ORDER BY last_seen DESC, uid LIMIT ?
                """, [.text(namespace), .text(podName), .integer(Int64(changedAfter ?? 0)), .int(limit)], row: Self.event)
        }
    }

    /// The stored JSON of one event.
    public func eventJSON(uid: String) async throws -> [UInt8]? {
        try await read { db in
            try db.query("SELECT json FROM events WHERE uid = ?", [.text(uid)]) { $0.blob(0) }.first
        }
    }

    /// Every termination observed for the pod's containers, newest first.
    public func terminations(podUID: String) async throws -> [ContainerTermination] {
        try await read { db in
            try db.query("""
                SELECT pod_uid, container, restart_count, reason, exit_code, signal, started_at, finished_at,
                       observed_at, unobserved_before
                FROM container_terminations WHERE pod_uid = ?
                ORDER BY coalesce(finished_at, observed_at) DESC, id DESC
                """, [.text(podUID)]) { row in
                ContainerTermination(podUID: row.text(0), container: row.text(1), restartCount: row.int(2),
                                     reason: row.optionalText(3), exitCode: row.int(4), signal: row.optionalInt(5),
                                     startedAt: row.optionalDate(6), finishedAt: row.optionalDate(7),
                                     observedAt: row.optionalDate(8) ?? .distantPast, unobservedBefore: row.int(9))
            }
        }
    }

    /// One pod by uid, live or tombstone.
    public func storedPod(uid: String) async throws -> StoredPod? {
        try await read { db in
            try db.query("SELECT \(Self.podColumns) FROM pods WHERE uid = ?", [.text(uid)], row: Self.storedPod).first
        }
    }

    /// Every stored pod with this namespace and name: the live one (if any) first, then
    /// tombstones of earlier pods, newest first. This is how a deleted pod is opened.
    public func storedPods(namespace: String, name: String) async throws -> [StoredPod] {
        try await read { db in
            try db.query("""
                SELECT \(Self.podColumns) FROM pods WHERE namespace = ? AND name = ?
                ORDER BY deleted_at IS NOT NULL, deleted_at DESC, created_at DESC
                """, [.text(namespace), .text(name)], row: Self.storedPod)
        }
    }

    /// Tombstones, most recently deleted first.
    public func tombstones(limit: Int = 1_000) async throws -> [StoredPod] {
        try await read { db in
            try db.query("""
                SELECT \(Self.podColumns) FROM pods WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC LIMIT ?
                """, [.int(limit)], row: Self.storedPod)
        }
    }

    // MARK: Row mapping

    static let eventColumns = """
        uid, namespace, name, involved_kind, involved_namespace, involved_name, involved_uid, field_path, type,
        reason, message, count, first_seen, last_seen, source, expired_at, seq
        """

    static func event(_ row: Statement) -> StoredEvent {
        StoredEvent(uid: row.text(0), namespace: row.text(1), name: row.text(2), involvedKind: row.optionalText(3),
                    involvedNamespace: row.optionalText(4), involvedName: row.optionalText(5),
                    involvedUID: row.optionalText(6), fieldPath: row.optionalText(7), type: row.optionalText(8),
                    reason: row.optionalText(9), message: row.text(10), count: row.int(11),
                    firstSeen: row.optionalDate(12), lastSeen: row.optionalDate(13), source: row.optionalText(14),
                    expiredAt: row.optionalDate(15), seq: UInt64(row.int64(16)))
    }

    static let podColumns = """
        uid, namespace, name, phase, status, ready, total, restarts, last_restart_at, node, pod_ip, host_ip,
        created_at, resource_version, seq, json, updated_at, deleted_at, deleted_by
        """

    static func storedPod(_ row: Statement) -> StoredPod {
        let summary = PodRow(uid: row.text(0), namespace: row.text(1), name: row.text(2), phase: row.text(3),
                             status: row.text(4), ready: row.int(5), total: row.int(6), restarts: row.int(7),
                             lastRestart: row.optionalDate(8), node: row.optionalText(9), podIP: row.optionalText(10),
                             hostIP: row.optionalText(11), createdAt: row.optionalDate(12),
                             resourceVersion: row.text(13), seq: UInt64(row.int64(14)))
        return StoredPod(row: summary, json: row.blob(15), updatedAt: row.optionalDate(16) ?? .distantPast,
                         deletedAt: row.optionalDate(17), deletion: row.optionalText(18).flatMap(StoredPod.Deletion.init))
    }
}
