import Foundation
import Informer

extension CacheWriter {
    /// The relisted pods (see `PodRecord.records`) replace the live ones in `namespace`.
    func replacePods(_ records: [PodRecord], in namespace: String?, _ batch: inout Batch) throws {
        var listed = Set<String>()
        listed.reserveCapacity(records.count)
        batch.live.reserve(records.count)
        for record in records {
            listed.insert(record.uid)
            try upsertPod(record, &batch)
        }
        // Pods the cache had and the relist does not: deleted while nobody watched. Their last
        // known state is kept as a tombstone.
        for uid in batch.live.baseUIDs(in: namespace) where !listed.contains(uid) && batch.live.row(uid: uid) != nil {
            try tombstone(uid: uid, &batch)
        }
    }

    func applyPod(_ kind: WatchChange.Kind, _ pod: Pod, _ json: [UInt8], _ batch: inout Batch) throws {
        guard let record = record(pod, json) else { return }
        switch kind {
        case .added, .modified:
            try upsertPod(record, &batch)
        case .deleted:
            try storeFinalState(record, &batch)
        }
    }

    private func record(_ pod: Pod, _ json: [UInt8]) -> PodRecord? {
        guard let record = PodRecord(pod: pod, json: json) else {
            logger.warning("ignored a pod without uid or name", metadata: ["pod.namespace": "\(pod.metadata.namespace ?? "")"])
            return nil
        }
        return record
    }

    /// Adds or updates a live pod. An unchanged resourceVersion (a relist of a pod already held)
    /// costs nothing. A different uid under the same name is a delete of the old pod plus an add.
    private func upsertPod(_ record: PodRecord, _ batch: inout Batch) throws {
        if let current = batch.live.row(uid: record.uid), !record.resourceVersion.isEmpty,
           current.resourceVersion == record.resourceVersion {
            return
        }
        if let holder = batch.live.uid(for: record.key), holder != record.uid {
            try tombstone(uid: holder, &batch)
        }
        let seq = batch.nextSeq()
        if batch.pending != nil {
            batch.pending?.pods[record.uid] = .live(record)
        } else {
            // A uid not live in the cache is (almost always) new: there is no container memory
            // to look up, which saves a query per pod on a cold relist.
            let known = batch.live.row(uid: record.uid) != nil
            try writePod(record, seq: seq, deletedAt: nil, deletedBy: nil, now: batch.now)
            try recordTerminations(record, now: batch.now, lookUpPrevious: known)
        }
        batch.live.upsert(record.row(seq: seq))
        batch.podsChanged = true
    }

    /// A DELETED event carries the pod's final state: keep it, with the termination it may show.
    private func storeFinalState(_ record: PodRecord, _ batch: inout Batch) throws {
        let seq = batch.nextSeq()
        if batch.pending != nil {
            batch.pending?.pods[record.uid] = .deleted(record, at: batch.now)
        } else {
            try writePod(record, seq: seq, deletedAt: batch.now, deletedBy: "watch", now: batch.now)
            try recordTerminations(record, now: batch.now)
        }
        if batch.live.row(uid: record.uid) != nil {
            batch.live.remove(uid: record.uid)
            batch.podsChanged = true
        }
    }

    /// Marks a live pod deleted, keeping its last known state.
    private func tombstone(uid: String, _ batch: inout Batch) throws {
        let seq = batch.nextSeq()
        if batch.pending != nil {
            batch.pending?.recordTombstone(uid: uid, at: batch.now)
        } else {
            try markDeleted(uid: uid, at: batch.now, seq: seq)
        }
        batch.live.remove(uid: uid)
        batch.podsChanged = true
    }

    private func markDeleted(uid: String, at: Date, seq: UInt64) throws {
        try db.run("UPDATE pods SET deleted_at = ?, deleted_by = 'inferred', seq = ? WHERE uid = ? AND deleted_at IS NULL",
                   [.date(at), .integer(Int64(seq)), .text(uid)])
    }

    /// Writes what was kept in memory while the database refused writes: deletions first, so
    /// a name re-created under a new uid finds its old row already a tombstone.
    func replayPods(_ pods: [String: PendingWrites.PodWrite], _ batch: inout Batch) throws {
        for (uid, write) in pods {
            switch write {
            case .live:
                continue
            case let .deleted(record, at):
                try writePod(record, seq: batch.nextSeq(), deletedAt: at, deletedBy: "watch", now: at)
                try recordTerminations(record, now: at)
            case let .tombstone(record?, at):
                try writePod(record, seq: batch.nextSeq(), deletedAt: at, deletedBy: "inferred", now: at)
                try recordTerminations(record, now: at)
            case let .tombstone(nil, at):
                try markDeleted(uid: uid, at: at, seq: batch.nextSeq())
            }
        }
        for case let .live(record) in pods.values {
            try writePod(record, seq: batch.nextSeq(), deletedAt: nil, deletedBy: nil, now: batch.now)
            try recordTerminations(record, now: batch.now)
        }
    }

    private func writePod(_ record: PodRecord, seq: UInt64, deletedAt: Date?, deletedBy: String?, now: Date) throws {
        let summary = record.summary
        try db.run("""
            INSERT INTO pods (uid, namespace, name, phase, status, ready, total, restarts, last_restart_at,
                              node, pod_ip, host_ip, created_at, resource_version, json, updated_at, seq,
                              deleted_at, deleted_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (uid) DO UPDATE SET
                phase = excluded.phase, status = excluded.status, ready = excluded.ready,
                total = excluded.total, restarts = excluded.restarts,
                last_restart_at = excluded.last_restart_at, node = excluded.node,
                pod_ip = excluded.pod_ip, host_ip = excluded.host_ip, created_at = excluded.created_at,
                resource_version = excluded.resource_version, json = excluded.json,
                updated_at = excluded.updated_at, seq = excluded.seq,
                deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by
            """, [
                .text(record.uid), .text(record.key.namespace), .text(record.key.name), .text(record.phase),
                .text(summary.status), .int(summary.ready), .int(summary.total), .int(summary.restarts),
                .date(summary.lastRestart), .optionalText(record.node), .optionalText(record.podIP),
                .optionalText(record.hostIP), .date(record.createdAt), .text(record.resourceVersion),
                .blob(record.json), .date(now), .integer(Int64(seq)), .date(deletedAt), .optionalText(deletedBy),
            ])
    }

    /// Records every termination the status shows that is not stored yet, and remembers each
    /// container's restart count to detect restarts missed later.
    private func recordTerminations(_ record: PodRecord, now: Date, lookUpPrevious: Bool = true) throws {
        guard record.hasContainerHistory else { return }
        var previous: [String: ContainerMemory] = [:]
        if lookUpPrevious { try loadContainerMemory(record.uid, into: &previous) }
        let derived = TerminationDeriver.derive(containers: record.containers, previous: previous)
        for termination in derived.terminations {
            try db.run("""
                INSERT OR IGNORE INTO container_terminations
                    (pod_uid, container, dedup_key, restart_count, reason, exit_code, signal, started_at,
                     finished_at, observed_at, unobserved_before)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    .text(record.uid), .text(termination.container), .text(termination.dedupKey),
                    .int(termination.restartCount), .optionalText(termination.reason), .int(termination.exitCode),
                    .optionalInt(termination.signal), .date(termination.startedAt), .date(termination.finishedAt),
                    .date(now), .int(termination.unobservedBefore),
                ])
        }
        for (container, memory) in derived.memory where previous[container] != memory {
            try db.run("""
                INSERT INTO container_states (pod_uid, container, restart_count, terminated_seen) VALUES (?, ?, ?, ?)
                ON CONFLICT (pod_uid, container) DO UPDATE SET
                    restart_count = excluded.restart_count, terminated_seen = excluded.terminated_seen
                """, [.text(record.uid), .text(container), .int(memory.restartCount), .int(memory.terminatedSeen ? 1 : 0)])
        }
    }

    private func loadContainerMemory(_ uid: String, into memory: inout [String: ContainerMemory]) throws {
        try db.forEach("SELECT container, restart_count, terminated_seen FROM container_states WHERE pod_uid = ?",
                       [.text(uid)]) { row in
            memory[row.text(0)] = ContainerMemory(restartCount: row.int(1), terminatedSeen: row.int(2) != 0)
        }
    }
}
