/// The live pods as a batch sees them: the index as of the batch start plus what the batch has
/// done so far. The index itself changes only after the commit, so a failed batch leaves it
/// untouched; this overlay is what lets later changes in a batch see earlier ones.
struct LiveView {
    let base: PodIndexSnapshot
    private var rowsByUID: [String: PodRow?] = [:]
    private var uidsByKey: [PodKey: String?] = [:]
    private(set) var changes: [IndexChange] = []

    init(base: PodIndexSnapshot) { self.base = base }

    /// Room for `count` changes, so a relist's overlay does not rehash its way up.
    mutating func reserve(_ count: Int) {
        rowsByUID.reserveCapacity(count)
        uidsByKey.reserveCapacity(count)
        changes.reserveCapacity(count)
    }

    func row(uid: String) -> PodRow? {
        if let overlaid = rowsByUID[uid] { return overlaid }
        return base.pod(uid: uid)
    }

    func uid(for key: PodKey) -> String? {
        if let overlaid = uidsByKey[key] { return overlaid }
        return base.pod(namespace: key.namespace, name: key.name)?.uid
    }

    mutating func upsert(_ row: PodRow) {
        rowsByUID[row.uid] = .some(row)
        uidsByKey[row.key] = .some(row.uid)
        changes.append(.upsert(row))
    }

    mutating func remove(uid: String) {
        guard let row = row(uid: uid) else { return }
        rowsByUID[uid] = .some(nil)
        if self.uid(for: row.key) == uid { uidsByKey[row.key] = .some(nil) }
        changes.append(.remove(uid: uid))
    }

    /// The pods in `namespace` (nil: all) that were live when the batch started.
    func baseUIDs(in namespace: String?) -> [String] {
        base.allPods.lazy.filter { namespace == nil || $0.namespace == namespace }.map(\.uid)
    }
}
