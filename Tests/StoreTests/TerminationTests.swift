import Foundation
import Informer
import Testing
@testable import Store

@Suite struct TerminationTests {
    typealias C = ContainerFixture

    func update(_ cache: ClusterCache, rv: String, _ container: ContainerFixture) async throws {
        try await cache.apply(Fixture.allPods, changes: [
            WatchChange(kind: .modified, object: Fixture.pod(name: "app-0", rv: rv, containers: [container])),
        ], resourceVersion: rv)
    }

    @Test(arguments: Storage.allCases) func everyTerminationSeenAcrossUpdatesIsRecordedOnce(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await update(cache, rv: "1", C())
        // Killed for memory: first seen as the current state…
        try await update(cache, rv: "2", C(ready: false, state: C.terminated(reason: "OOMKilled", exitCode: 137, id: "c://1")))
        // …then as lastState once restarted: the same run, not a second termination.
        try await update(cache, rv: "3", C(restartCount: 1, lastState: C.terminated(reason: "OOMKilled", exitCode: 137, id: "c://1")))
        try await update(cache, rv: "4", C(restartCount: 2, lastState: C.terminated(reason: "Error", exitCode: 1, id: "c://2",
                                                                                     finished: "2027-01-15T09:00:00Z")))
        try await update(cache, rv: "5", C(restartCount: 2, lastState: C.terminated(reason: "Error", exitCode: 1, id: "c://2",
                                                                                     finished: "2027-01-15T09:00:00Z")))
        let terminations = try await cache.terminations(podUID: "uid-default-app-0")
        #expect(terminations.map(\.reason) == ["Error", "OOMKilled"])
        #expect(terminations.map(\.exitCode) == [1, 137])
        #expect(terminations.map(\.restartCount) == [2, 0])
        #expect(terminations.map(\.unobservedBefore) == [0, 0])
    }

    @Test(arguments: Storage.allCases) func restartsMissedWhileDisconnectedAreCountedFromTheRestartCountJump(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await update(cache, rv: "1", C(restartCount: 1, lastState: C.terminated(reason: "Error", exitCode: 2, id: "c://1")))
        try await cache.replace(Fixture.allPods, objects: [
            Fixture.pod(name: "app-0", rv: "9", containers: [C(restartCount: 5, lastState: C.terminated(reason: "Error", exitCode: 3, id: "c://5"))]),
        ], resourceVersion: "9")
        let terminations = try await cache.terminations(podUID: "uid-default-app-0")
        #expect(terminations.map(\.exitCode) == [3, 2])
        #expect(terminations.first?.unobservedBefore == 3)
    }

    @Test(arguments: Storage.allCases) func aPodFirstSeenWithRestartsCountsTheEarlierOnesAsUnobserved(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await update(cache, rv: "1", C(restartCount: 14, lastState: C.terminated(reason: "Error", exitCode: 1, id: "c://14")))
        let terminations = try await cache.terminations(podUID: "uid-default-app-0")
        #expect(terminations.count == 1)
        #expect(terminations.first?.unobservedBefore == 13)
    }

    @Test(arguments: Storage.allCases) func signalAndTimesAreKept(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await update(cache, rv: "1", C(state: C.terminated(reason: "", exitCode: 143, id: "c://9", signal: 15)))
        let termination = try #require(try await cache.terminations(podUID: "uid-default-app-0").first)
        #expect(termination.reason == nil && termination.signal == 15 && termination.exitCode == 143)
        #expect(termination.startedAt == KubeTime.parse("2027-01-15T08:00:00Z"))
        #expect(termination.finishedAt == KubeTime.parse("2027-01-15T08:05:00Z"))
    }

    @Test func runsWithoutAContainerIDAreTellApartByTheirTimes() {
        let first = ContainerStateTerminated(exitCode: 1, reason: "Error", finishedAt: Date(timeIntervalSince1970: 10))
        let second = ContainerStateTerminated(exitCode: 1, reason: "Error", finishedAt: Date(timeIntervalSince1970: 20))
        #expect(TerminationDeriver.dedupKey(first) != TerminationDeriver.dedupKey(second))
        #expect(TerminationDeriver.dedupKey(first) == TerminationDeriver.dedupKey(first))
    }
}
