import Foundation
import Informer
import Testing
@testable import Store

@Suite struct EventStoreTests {
    @Test(arguments: Storage.allCases) func anEventIsOneRowUpdatedOnEveryChange(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.apply(Fixture.allEvents, changes: [WatchChange(kind: .added, object: Fixture.event(uid: "e1", pod: "a"))],
                              resourceVersion: "1")
        try await cache.apply(Fixture.allEvents, changes: [
            WatchChange(kind: .modified, object: Fixture.event(uid: "e1", pod: "a", count: 5, last: "2027-01-15T08:30:00Z", rv: "2")),
        ], resourceVersion: "2")
        let events = try await cache.events(podUID: "uid-default-a")
        #expect(events.count == 1)
        #expect(events[0].count == 5 && events[0].lastSeen == KubeTime.parse("2027-01-15T08:30:00Z"))
        #expect(events[0].message == "Back-off restarting failed container")
        #expect(events[0].source == "kubelet" && events[0].fieldPath == "spec.containers{app}")
    }

    @Test(arguments: Storage.allCases) func anExpiredEventIsMarkedNotRemoved(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let cache = try ClusterCache.openForTest(dir, storage: storage, clock: clock)
        try await cache.apply(Fixture.allEvents, changes: [WatchChange(kind: .added, object: Fixture.event(uid: "e1", pod: "a"))],
                              resourceVersion: "1")
        try await cache.apply(Fixture.allEvents, changes: [WatchChange(kind: .deleted, object: Fixture.event(uid: "e1", pod: "a"))],
                              resourceVersion: "2")
        let events = try await cache.events(namespace: "default", podName: "a")
        #expect(events.map(\.uid) == ["e1"])
        #expect(events[0].expiredAt == clock.now)
    }

    @Test(arguments: Storage.allCases) func eventsMissingFromARelistAreMarkedExpired(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allEvents, objects: [Fixture.event(uid: "e1", pod: "a"), Fixture.event(uid: "e2", pod: "a")],
                                resourceVersion: "1")
        try await cache.replace(Fixture.allEvents, objects: [Fixture.event(uid: "e2", pod: "a")], resourceVersion: "2")
        let events = try await cache.events(podUID: "uid-default-a")
        #expect(Dictionary(uniqueKeysWithValues: events.map { ($0.uid, $0.isExpired) }) == ["e1": true, "e2": false])
    }

    @Test(arguments: Storage.allCases) func eventsForAPodComeNewestFirstByUIDOrByName(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allEvents, objects: [
            Fixture.event(uid: "old", pod: "a", last: "2027-01-15T08:01:00Z"),
            Fixture.event(uid: "new", pod: "a", last: "2027-01-15T08:09:00Z"),
            Fixture.event(uid: "mid", pod: "a", last: "2027-01-15T08:05:00Z"),
            Fixture.event(uid: "earlier-pod", pod: "a", podUID: "previous-uid", last: "2027-01-15T07:00:00Z"),
            Fixture.event(uid: "other", pod: "b"),
        ], resourceVersion: "1")
        #expect(try await cache.events(podUID: "uid-default-a").map(\.uid) == ["new", "mid", "old"])
        #expect(try await cache.events(namespace: "default", podName: "a").map(\.uid) == ["new", "mid", "old", "earlier-pod"])
    }

    @Test(arguments: Storage.allCases) func changedAfterReturnsOnlyNewerChanges(storage: Storage) async throws {
        let dir = try TemporaryDirectory()
        let cache = try ClusterCache.openForTest(dir, storage: storage)
        try await cache.replace(Fixture.allEvents, objects: [Fixture.event(uid: "e1", pod: "a"), Fixture.event(uid: "e2", pod: "a")],
                                resourceVersion: "1")
        let seen = cache.latestChange.eventSeq
        try await cache.apply(Fixture.allEvents, changes: [WatchChange(kind: .modified, object: Fixture.event(uid: "e2", pod: "a", count: 2, rv: "2"))],
                              resourceVersion: "2")
        #expect(try await cache.events(podUID: "uid-default-a", changedAfter: seen).map(\.uid) == ["e2"])
    }
}
