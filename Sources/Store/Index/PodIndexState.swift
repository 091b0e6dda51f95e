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
public struct PodIndexSnapshot: Sendable {
    private(set) var rows: [String: PodRow] = [:]
    private(set) var uidByKey: [PodKey: String] = [:]
    private(set) var uidsByName: [String: [String]] = [:]
    /// Every live key, sorted: the order matching walks in, so results come out sorted.
    private(set) var sortedKeys: [PodKey] = []
    /// The store sequence number this snapshot reflects.
    public private(set) var seq: UInt64 = 0
    private(set) var removals: [PodRemoval] = []
    /// Deltas are complete for any `since` at or after this seq; older callers need a snapshot.
    private(set) var deltaFloor: UInt64 = 0

    /// Removals remembered for deltas; a client further behind than this gets a full snapshot.
    static let removalLogLimit = 20_000
    /// Above this many keys added or removed in one batch, sorting afresh beats inserting each.
    static let resortThreshold = 64

    init(rows: [PodRow], seq: UInt64) {
        for row in rows { insert(row) }
        sortedKeys = uidByKey.keys.sorted()
        self.seq = seq
        deltaFloor = seq
    }

    public var count: Int { rows.count }

    mutating func apply(_ changes: [IndexChange], seq newSeq: UInt64) {
        let keyChanges = changes.count { change in
            switch change {
            case .upsert(let row): return rows[row.uid] == nil
            case .remove: return true
            }
        }
        let resort = keyChanges > Self.resortThreshold
        for change in changes {
            switch change {
            case .upsert(let row):
                if rows[row.uid] != nil {
                    rows[row.uid] = row      // a pod's namespace and name never change
                } else {
                    if let previous = uidByKey[row.key] { remove(uid: previous, seq: row.seq, keepSorted: !resort) }
                    insert(row)
                    if !resort { sortedKeys.insert(row.key, at: insertionPoint(of: row.key)) }
                }
            case .remove(let uid):
                remove(uid: uid, seq: newSeq, keepSorted: !resort)
            }
        }
        if resort { sortedKeys = uidByKey.keys.sorted() }
        seq = max(seq, newSeq)
        trimRemovals()
    }

    private mutating func insert(_ row: PodRow) {
        rows[row.uid] = row
        uidByKey[row.key] = row.uid
        uidsByName[row.name, default: []].append(row.uid)
    }

    private mutating func remove(uid: String, seq: UInt64, keepSorted: Bool) {
        guard let row = rows.removeValue(forKey: uid) else { return }
        uidByKey[row.key] = nil
        uidsByName[row.name]?.removeAll { $0 == uid }
        if uidsByName[row.name]?.isEmpty == true { uidsByName[row.name] = nil }
        if keepSorted {
            let at = insertionPoint(of: row.key)
            if at < sortedKeys.count, sortedKeys[at] == row.key { sortedKeys.remove(at: at) }
        }
        removals.append(PodRemoval(seq: seq, uid: uid, key: row.key))
    }

    private mutating func trimRemovals() {
        guard removals.count > Self.removalLogLimit else { return }
        let drop = removals.count - Self.removalLogLimit / 2
        deltaFloor = removals[drop - 1].seq
        removals.removeFirst(drop)
    }

    /// Binary search for the first key not less than `key`.
    func insertionPoint(of key: PodKey) -> Int {
        var low = 0, high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if sortedKeys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
