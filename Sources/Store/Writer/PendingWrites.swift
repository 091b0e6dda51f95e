import CSQLite
import Foundation

/// What the writer could not store while the database refused writes (disk full, read-only
/// folder, I/O error). The index and the change feed go on from memory; these are the last
/// states to write once the database accepts writes again. Keyed by uid, so memory stays
/// bounded by the number of pods and a capped number of events.
struct PendingWrites {
    enum PodWrite {
        case live(PodRecord)
        /// A watched DELETED with the final state.
        case deleted(PodRecord, at: Date)
        /// Vanished from a relist or replaced under its name; the record when it was itself
        /// only ever seen while pending (the database has no row for it).
        case tombstone(PodRecord?, at: Date)
    }

    var pods: [String: PodWrite] = [:]
    var events: [String: (record: EventRecord, expiredAt: Date?)] = [:]
    /// Event changes dropped once `eventLimit` was reached.
    var droppedEvents = 0
    var reason: String

    static let eventLimit = 20_000

    init(reason: String) { self.reason = reason }

    mutating func recordEvent(_ record: EventRecord, expiredAt: Date?) {
        if events[record.uid] == nil && events.count >= Self.eventLimit {
            droppedEvents += 1
            return
        }
        events[record.uid] = (record, expiredAt)
    }

    mutating func recordTombstone(uid: String, at: Date) {
        if case let .live(record)? = pods[uid] {
            pods[uid] = .tombstone(record, at: at)
        } else {
            pods[uid] = .tombstone(nil, at: at)
        }
    }
}

extension SQLiteError {
    /// Failures of the storage rather than of the statement: the batch itself was fine, the
    /// database could not take it. The app keeps working from memory when this happens.
    var isStorageFailure: Bool {
        [SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB].contains(primaryCode)
    }
}
