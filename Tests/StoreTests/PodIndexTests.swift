import Foundation
import Testing
@testable import Store

@Suite struct PodIndexTests {
    func row(_ namespace: String, _ name: String, uid: String? = nil, seq: UInt64 = 1) -> PodRow {
        PodRow(uid: uid ?? "\(namespace)/\(name)", namespace: namespace, name: name, phase: "Running", status: "Running",
               ready: 1, total: 1, restarts: 0, lastRestart: nil, node: nil, podIP: nil, hostIP: nil, createdAt: nil,
               resourceVersion: "1", seq: seq)
    }

    @Test func matchesAreSortedByNamespaceThenName() throws {
        let index = PodIndex(rows: [row("web", "api-2"), row("apps", "api-9"), row("web", "api-1"), row("web", "db-0")], seq: 1)
        let found = try index.pods(matching: "^api-").pods.map(\.key.description)
        #expect(found == ["apps/api-9", "web/api-1", "web/api-2"])
    }

    @Test func theNamespacedSubjectLetsAPatternPickANamespace() throws {
        let index = PodIndex(rows: [row("web", "api-1"), row("apps", "api-9")], seq: 1)
        #expect(try index.pods(matching: "^web/", subject: .namespacedName).pods.map(\.name) == ["api-1"])
        #expect(try index.pods(matching: "^web/").pods.isEmpty)
    }

    @Test func bareNamesResolveUniquelyOrAmbiguously() {
        let snapshot = PodIndex(rows: [row("web", "api-1"), row("apps", "api-1"), row("web", "db-0")], seq: 1).snapshot()
        #expect(snapshot.pods(named: "db-0") == .unique(row("web", "db-0")))
        #expect(snapshot.pods(named: "api-1") == .ambiguous([row("apps", "api-1"), row("web", "api-1")]))
        #expect(snapshot.pods(named: "nope") == .none)
        #expect(snapshot.pod(namespace: "apps", name: "api-1")?.uid == "apps/api-1")
    }

    @Test func deltasReportUpsertsAndRemovalsSinceASeq() {
        let index = PodIndex(rows: [row("web", "a"), row("web", "b")], seq: 1)
        index.apply([.upsert(row("web", "c", seq: 2)), .remove(uid: "web/a")], seq: 3)
        let delta = index.snapshot().changes(since: 1)
        #expect(delta?.upserted.map(\.name) == ["c"])
        #expect(delta?.removed.map(\.key.name) == ["a"])
        #expect(index.snapshot().changes(since: 3)?.upserted.isEmpty == true)
        #expect(index.snapshot().changes(since: 0) == nil)  // older than the index remembers
        #expect(index.snapshot().allPods.map(\.name) == ["b", "c"])
    }

    @Test func aSnapshotStaysStableWhileTheIndexChanges() {
        let index = PodIndex(rows: [row("web", "a")], seq: 1)
        let before = index.snapshot()
        index.apply([.remove(uid: "web/a")], seq: 2)
        #expect(before.allPods.map(\.name) == ["a"])
        #expect(index.snapshot().count == 0)
    }

    @Test func bigBatchesAndSmallBatchesKeepTheSameOrder() {
        let names = (0..<300).map { "pod-\(($0 * 7919) % 300)" }
        let index = PodIndex(rows: [], seq: 0)
        index.apply(names.prefix(200).map { .upsert(row("ns", $0, seq: 1)) }, seq: 1)  // re-sorted in bulk
        for name in names.suffix(100) { index.apply([.upsert(row("ns", name, seq: 2))], seq: 2) }  // inserted in place
        index.apply([.remove(uid: "ns/pod-5")], seq: 3)
        let listed = index.snapshot().allPods.map(\.name)
        #expect(listed == Set(names).subtracting(["pod-5"]).sorted())
    }

    @Test(arguments: [1, 200]) func aPodAddedAndRemovedInOneBatchIsGone(others: Int) {
        let index = PodIndex(rows: [], seq: 0)
        let adds = (0..<others).map { IndexChange.upsert(row("ns", "other-\($0)", seq: 1)) }
        index.apply(adds + [.upsert(row("ns", "brief", seq: 2)), .remove(uid: "ns/brief")], seq: 3)
        #expect(index.snapshot().count == others)
        #expect(index.snapshot().pod(namespace: "ns", name: "brief") == nil)
        #expect(index.snapshot().pods(named: "brief") == .none)
    }

    @Test(arguments: [1, 200]) func aNewUIDUnderAKnownNameReplacesTheOldRow(others: Int) {
        let index = PodIndex(rows: [row("ns", "db-0", uid: "old")], seq: 1)
        let adds = (0..<others).map { IndexChange.upsert(row("ns", "other-\($0)", seq: 2)) }
        index.apply(adds + [.upsert(row("ns", "db-0", uid: "new", seq: 2))], seq: 2)
        #expect(index.snapshot().pod(namespace: "ns", name: "db-0")?.uid == "new")
        #expect(index.snapshot().pod(uid: "old") == nil)
        #expect(index.snapshot().changes(since: 1)?.removed.map(\.uid) == ["old"])
        #expect(index.snapshot().count == others + 1)
    }

    /// Random batches, small (applied row by row) and large (merged in bulk), of adds,
    /// updates, re-creations under a new uid and removals, against a plain dictionary model.
    @Test(arguments: [1, 7, 42]) func randomBatchesMatchASimpleModel(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let index = PodIndex(rows: [], seq: 0)
        var model: [PodKey: PodRow] = [:]
        var seq: UInt64 = 0
        for _ in 0..<40 {
            seq += 1
            let size = Int.random(in: 0..<2, using: &rng) == 0 ? Int.random(in: 1...10, using: &rng) : Int.random(in: 65...400, using: &rng)
            var changes: [IndexChange] = []
            for _ in 0..<size {
                let key = PodKey(namespace: "ns-\(Int.random(in: 0..<3, using: &rng))", name: "pod-\(Int.random(in: 0..<500, using: &rng))")
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    if let uid = model[key]?.uid {
                        changes.append(.remove(uid: uid))
                        model[key] = nil
                    }
                case 1:  // re-created under the same name with a new uid
                    let fresh = row(key.namespace, key.name, uid: "\(key)#\(seq)-\(changes.count)", seq: seq)
                    changes.append(.upsert(fresh))
                    model[key] = fresh
                default:
                    let updated = row(key.namespace, key.name, uid: model[key]?.uid ?? "\(key)#\(seq)-\(changes.count)", seq: seq)
                    changes.append(.upsert(updated))
                    model[key] = updated
                }
            }
            index.apply(changes, seq: seq)
            let snapshot = index.snapshot()
            #expect(snapshot.allPods == model.values.sorted { $0.key < $1.key })
            #expect(model.values.allSatisfy { snapshot.pod(uid: $0.uid) == $0 })
        }
        let names = Set(model.keys.map(\.name))
        for name in names.prefix(20) {
            let expected = model.values.filter { $0.name == name }.sorted { $0.key < $1.key }
            switch index.snapshot().pods(named: name) {
            case .unique(let row): #expect(expected == [row])
            case .ambiguous(let rows): #expect(rows.sorted { $0.key < $1.key } == expected)
            case .none: Issue.record("\(name) not found by name")
            }
        }
    }

    @Test func pathologicalPatternOverTenThousandNamesEndsWithAnErrorNotAHang() throws {
        let rows = (0..<10_000).map { row("ns", String(repeating: "a", count: 30 + $0 % 20) + "-\($0)") }
        let index = PodIndex(rows: rows, seq: 1)
        let started = ContinuousClock.now
        #expect(throws: PatternError.self) { try index.pods(matching: "(a+)+$", budget: .milliseconds(200)) }
        // Generous bound: this is about never hanging, not about speed.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func theTimeBudgetStopsASlowPass() throws {
        let rows = (0..<2_000).map { row("ns", "pod-\($0)") }
        let index = PodIndex(rows: rows, seq: 1)
        #expect {
            try index.pods(matching: "pod", budget: .zero)
        } throws: { error in
            guard case let PatternError.timeBudgetExceeded(checked, total) = error else { return false }
            return checked < total && total == 2_000
        }
    }
}

/// A seeded generator, so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
