import Foundation
import Informer

extension CacheWriter {
    func replaceEvents(_ objects: [KubeObject], in namespace: String?, _ batch: inout Batch) throws {
        if batch.pending != nil {
            // In memory only: keep the listed events; expiring the absent ones waits for the
            // next relist that reaches the database.
            for object in objects {
                guard case let .event(event, json) = object, let record = EventRecord(event: event, json: json) else { continue }
                try upsertEvent(record, expiredAt: nil, &batch)
            }
            return
        }
        // The uids listed go into a temporary table so one UPDATE can expire everything else
        // in scope, however many events there are.
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS relisted_events (uid TEXT PRIMARY KEY) WITHOUT ROWID")
        try db.execute("DELETE FROM relisted_events")
        for object in objects {
            guard case let .event(event, json) = object, let record = EventRecord(event: event, json: json) else { continue }
            try db.run("INSERT OR IGNORE INTO relisted_events (uid) VALUES (?)", [.text(record.uid)])
            try upsertEvent(record, expiredAt: nil, &batch)
        }
        // Absent from the relist: the cluster expired (or deleted) them while nobody watched.
        // They stay, marked, like events whose DELETED was seen.
        let seq = batch.seq + 1
        try db.run("""
            UPDATE events SET expired_at = ?, seq = ?
            WHERE expired_at IS NULL AND (?3 IS NULL OR namespace = ?3)
              AND uid NOT IN (SELECT uid FROM relisted_events)
            """, [.date(batch.now), .integer(Int64(seq)), .optionalText(namespace)])
        if db.changes > 0 {
            _ = batch.nextSeq()
            batch.eventsChanged = true
        }
    }

    func applyEvent(_ kind: WatchChange.Kind, _ event: Event, _ json: [UInt8], _ batch: inout Batch) throws {
        guard let record = EventRecord(event: event, json: json) else {
            logger.warning("ignored an event without uid", metadata: ["event.namespace": "\(event.metadata.namespace ?? "")"])
            return
        }
        // DELETED is the cluster's TTL running out, not the problem going away: keep the event.
        try upsertEvent(record, expiredAt: kind == .deleted ? batch.now : nil, &batch)
    }

    func replayEvents(_ events: [String: (record: EventRecord, expiredAt: Date?)], _ batch: inout Batch) throws {
        for (record, expiredAt) in events.values { try upsertEvent(record, expiredAt: expiredAt, &batch) }
    }

    /// Inserts or updates one event. A row whose resourceVersion and expiry are unchanged is
    /// left alone (and takes no seq), which makes a relist of known events cheap.
    private func upsertEvent(_ record: EventRecord, expiredAt: Date?, _ batch: inout Batch) throws {
        if batch.pending != nil {
            batch.pending?.recordEvent(record, expiredAt: expiredAt)
            _ = batch.nextSeq()
            batch.eventsChanged = true
            return
        }
        let seq = batch.seq + 1
        try db.run("""
            INSERT INTO events (uid, namespace, name, involved_kind, involved_namespace, involved_name,
                                involved_uid, field_path, type, reason, message, count, first_seen, last_seen,
                                source, resource_version, json, updated_at, seq, expired_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (uid) DO UPDATE SET
                involved_kind = excluded.involved_kind, involved_namespace = excluded.involved_namespace,
                involved_name = excluded.involved_name, involved_uid = excluded.involved_uid,
                field_path = excluded.field_path, type = excluded.type, reason = excluded.reason,
                message = excluded.message, count = excluded.count, first_seen = excluded.first_seen,
                last_seen = excluded.last_seen, source = excluded.source,
                resource_version = excluded.resource_version, json = excluded.json,
                updated_at = excluded.updated_at, seq = excluded.seq, expired_at = excluded.expired_at
            WHERE events.resource_version IS NOT excluded.resource_version
               OR (events.expired_at IS NULL) != (excluded.expired_at IS NULL)
            """, [
                .text(record.uid), .text(record.namespace), .text(record.name), .optionalText(record.involvedKind),
                .optionalText(record.involvedNamespace), .optionalText(record.involvedName),
                .optionalText(record.involvedUID), .optionalText(record.fieldPath), .optionalText(record.type),
                .optionalText(record.reason), .text(record.message), .int(record.count), .date(record.firstSeen),
                .date(record.lastSeen), .optionalText(record.source), .text(record.resourceVersion),
                .blob(record.json), .date(batch.now), .integer(Int64(seq)), .date(expiredAt),
            ])
        if db.changes > 0 {
            _ = batch.nextSeq()
            batch.eventsChanged = true
        }
    }
}
