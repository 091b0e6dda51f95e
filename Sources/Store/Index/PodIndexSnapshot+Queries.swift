/// What a name matches when it is given without a namespace.
public enum NameLookup: Sendable, Equatable {
    case none
    case unique(PodRow)
    /// Several namespaces have a pod of that name; sorted by namespace.
    case ambiguous([PodRow])
}

/// The pods that changed after a given seq: apply `removed` first, then `upserted` (a name
/// re-created with a new uid appears in both).
public struct PodIndexDelta: Sendable, Equatable {
    public var seq: UInt64
    public var upserted: [PodRow]
    public var removed: [PodRemoval]
}

/// What a pattern is matched against.
public enum PatternSubject: Sendable {
    /// The pod name alone: `^api-` finds `api-7d9f` in every namespace.
    case name
    /// `namespace/name`, so a pattern can pick a namespace too.
    case namespacedName
}

extension PodIndexSnapshot {
    /// Every live pod, sorted by namespace and name.
    public var allPods: [PodRow] { sortedRows }

    public func pod(namespace: String, name: String) -> PodRow? {
        row(for: PodKey(namespace: namespace, name: name))
    }

    public func pod(uid: String) -> PodRow? { keyByUID[uid].flatMap { row(for: $0) } }

    public func pods(named name: String) -> NameLookup {
        let found = (keysByName[name] ?? []).sorted().compactMap { row(for: $0) }
        switch found.count {
        case 0: return .none
        case 1: return .unique(found[0])
        default: return .ambiguous(found)
        }
    }

    /// The pods changed since `seq`, or nil when that is older than the index remembers (the
    /// caller then starts again from `allPods`).
    public func changes(since: UInt64) -> PodIndexDelta? {
        guard since >= deltaFloor else { return nil }
        let upserted = sortedRows.filter { $0.seq > since }
        let removed = removals.filter { $0.seq > since }
        return PodIndexDelta(seq: seq, upserted: upserted, removed: removed)
    }

    /// Pods whose subject the pattern is found in (`re.search` semantics), sorted by namespace
    /// and name.
    ///
    /// Bounded twice: every single match by PCRE2's match limit, and the whole pass by `budget`,
    /// checked every few names, so a pathological pattern costs at most about the budget.
    public func pods(matching pattern: RegexPattern, subject: PatternSubject = .name,
                     budget: Duration = .milliseconds(100)) throws(PatternError) -> [PodRow] {
        let matcher = pattern.makeMatcher()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var found: [PodRow] = []
        // By index, reading only the name: `for row in sortedRows` copies every row (a dozen
        // reference-counted fields), which cost more than the regex over 10,000 pods.
        for position in sortedRows.indices {
            if position % 8 == 7, clock.now > deadline {
                throw .timeBudgetExceeded(checked: position, total: sortedRows.count)
            }
            let text = subject == .name ? sortedRows[position].name : sortedRows[position].key.description
            if try matcher.search(text) { found.append(sortedRows[position]) }
        }
        return found
    }

    private func row(for key: PodKey) -> PodRow? {
        let at = position(of: key)
        return at < sortedRows.count && sortedRows[at].key == key ? sortedRows[at] : nil
    }
}
