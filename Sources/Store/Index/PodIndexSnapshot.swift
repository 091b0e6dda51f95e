/// One change to the set of live pods, produced by the writer inside a transaction and applied
/// to the index only after that transaction commits.
enum IndexChange: Sendable {
    case upsert(PodRow)
    case remove(uid: String)
}

/// A pod that left the live set, kept briefly so `changes(since:)` can report removals.
public struct PodRemoval: Sendable, Hashable {
    public var seq: UInt64
    public var uid: String
    public var key: PodKey
}

/// The live pods as plain values. `PodIndex` keeps one behind a lock and hands out copies:
/// copying is O(1) (copy-on-write), so a reader never holds the lock while matching.
///
/// The rows live in one array sorted by namespace/name: matching and listing walk it without
/// hashing anything (hash lookups per row cost more than the PCRE2 match itself), and results
/// come out sorted. Lookups by key are binary searches; by uid and bare name go through small
/// dictionaries of keys.
public struct PodIndexSnapshot: Sendable {
    private(set) var sortedRows: [PodRow] = []
    private(set) var keyByUID: [String: PodKey] = [:]
    private(set) var keysByName: [String: [PodKey]] = [:]
    /// The store sequence number this snapshot reflects.
    public private(set) var seq: UInt64 = 0
    private(set) var removals: [PodRemoval] = []
    /// Deltas are complete for any `since` at or after this seq; older callers need a snapshot.
    private(set) var deltaFloor: UInt64 = 0

    /// Removals remembered for deltas; a client further behind than this gets a full snapshot.
    static let removalLogLimit = 20_000
    /// Above this many pods added or removed in one batch, one merge pass beats moving the
    /// array's tail once per pod.
    static let resortThreshold = 64

    init(rows: [PodRow], seq: UInt64) {
        rebuild(from: rows)
        self.seq = seq
        deltaFloor = seq
    }

    public var count: Int { sortedRows.count }

    mutating func apply(_ changes: [IndexChange], seq newSeq: UInt64) {
        let keyChanges = changes.count { change in
            if case .upsert(let row) = change { return keyByUID[row.uid] == nil }
            return true
        }
        if keyChanges > Self.resortThreshold {
            applyInBulk(changes, seq: newSeq)
        } else {
            for change in changes {
                switch change {
                case .upsert(let row): upsert(row)
                case .remove(let uid): remove(uid: uid, seq: newSeq)
                }
            }
        }
        seq = max(seq, newSeq)
        trimRemovals()
    }

    private mutating func upsert(_ row: PodRow) {
        let at = position(of: row.key)
        if at < sortedRows.count, sortedRows[at].key == row.key {
            let previous = sortedRows[at]
            if previous.uid == row.uid {
                sortedRows[at] = row          // a pod's namespace and name never change
                return
            }
            // Same name, new uid: the old pod is gone.
            forget(previous, seq: row.seq)
            sortedRows[at] = row
        } else {
            sortedRows.insert(row, at: at)
        }
        remember(row)
    }

    private mutating func remove(uid: String, seq: UInt64) {
        guard let key = keyByUID[uid] else { return }
        let at = position(of: key)
        guard at < sortedRows.count, sortedRows[at].uid == uid else { return }
        forget(sortedRows.remove(at: at), seq: seq)
    }

    /// Many keys change (a relist, a cold start, a watch backlog): work out each key's final
    /// state, sort only those, and merge them into the sorted rows in one pass, instead of
    /// moving the array's tail once per pod or re-sorting every row.
    private mutating func applyInBulk(_ changes: [IndexChange], seq newSeq: UInt64) {
        // Final state per key in this batch: a row, or nil when removed.
        var final: [PodKey: PodRow?] = [:]
        final.reserveCapacity(changes.count)
        func current(_ key: PodKey) -> PodRow? {
            if let pending = final[key] { return pending }
            let at = position(of: key)
            return at < sortedRows.count && sortedRows[at].key == key ? sortedRows[at] : nil
        }
        for change in changes {
            switch change {
            case .upsert(let row):
                if let previous = current(row.key) {
                    if previous.uid != row.uid {
                        forget(previous, seq: row.seq)
                        remember(row)
                    }
                } else {
                    remember(row)
                }
                final[row.key] = .some(row)
            case .remove(let uid):
                guard let key = keyByUID[uid], let previous = current(key), previous.uid == uid else { continue }
                forget(previous, seq: newSeq)
                final[key] = .some(nil)
            }
        }
        let sortedChanges = final.sorted { $0.key < $1.key }
        var merged: [PodRow] = []
        merged.reserveCapacity(sortedRows.count + sortedChanges.count)
        var next = 0
        for (key, row) in sortedChanges {
            while next < sortedRows.count, sortedRows[next].key < key {
                merged.append(sortedRows[next])
                next += 1
            }
            if next < sortedRows.count, sortedRows[next].key == key { next += 1 }  // replaced or removed
            if let row { merged.append(row) }
        }
        merged.append(contentsOf: sortedRows[next...])
        sortedRows = merged
    }

    private mutating func rebuild(from rows: [PodRow]) {
        sortedRows = rows.sorted { $0.key < $1.key }
        keyByUID = Dictionary(sortedRows.map { ($0.uid, $0.key) }, uniquingKeysWith: { _, last in last })
        keysByName = Dictionary(grouping: sortedRows.map(\.key), by: \.name)
    }

    private mutating func remember(_ row: PodRow) {
        keyByUID[row.uid] = row.key
        keysByName[row.name, default: []].append(row.key)
    }

    private mutating func forget(_ row: PodRow, seq: UInt64) {
        keyByUID[row.uid] = nil
        keysByName[row.name]?.removeAll { $0 == row.key }
        if keysByName[row.name]?.isEmpty == true { keysByName[row.name] = nil }
        removals.append(PodRemoval(seq: seq, uid: row.uid, key: row.key))
    }

    private mutating func trimRemovals() {
        guard removals.count > Self.removalLogLimit else { return }
        let drop = removals.count - Self.removalLogLimit / 2
        deltaFloor = removals[drop - 1].seq
        removals.removeFirst(drop)
    }

    /// Binary search for the first row whose key is not less than `key`.
    func position(of key: PodKey) -> Int {
        var low = 0, high = sortedRows.count
        while low < high {
            let mid = (low + high) / 2
            if sortedRows[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
