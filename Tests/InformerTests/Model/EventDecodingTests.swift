import Foundation
import Testing
import Informer

/// Both event APIs decode into one `Event` with kubectl's display rules (§3.2, §9 items 40–41).
@Suite struct EventDecodingTests {
    struct EventList: Decodable { var items: [Event] }

    func load(_ version: String, _ file: String) throws -> [Event] {
        try KubeJSON.makeDecoder().decode(EventList.self, from: Fixtures.data(version, "events/\(file)")).items
    }

    @Test(arguments: ["v1.36", "v1.28"])
    func bothApisGiveTheSameDisplayValues(version: String) throws {
        let core = try load(version, "core-v1-events-list.json")
        let new = try load(version, "events-k8s-io-v1-events-list.json")
        #expect(core.count == 15)
        #expect(new.count == core.count)
        for (a, b) in zip(core.sorted { $0.metadata.name! < $1.metadata.name! }, new.sorted { $0.metadata.name! < $1.metadata.name! }) {
            #expect(a.metadata.name == b.metadata.name)
            #expect(a.displayCount == b.displayCount, "\(a.metadata.name!)")
            #expect(a.firstSeen == b.firstSeen, "\(a.metadata.name!)")
            #expect(a.lastSeen == b.lastSeen, "\(a.metadata.name!)")
            #expect(a.trimmedMessage == b.trimmedMessage)
            #expect(a.regarding?.name == b.regarding?.name)
            #expect(a.regarding?.uid == b.regarding?.uid)
            #expect(a.from == b.from, "\(a.metadata.name!)")
        }
    }

    @Test func oldStyleEventUsesCountAndTimestamps() throws {
        let events = try load("v1.36", "core-v1-events-list.json")
        let backoff = try #require(events.first { $0.reason == "BackOff" && $0.regarding?.name == "crashloop-oom" })
        #expect(backoff.displayCount == 23)
        #expect(backoff.eventTime == nil)
        #expect(backoff.firstSeen == backoff.firstTimestamp)
        #expect(backoff.lastSeen == backoff.lastTimestamp)
        #expect(backoff.from == "kubelet")
    }

    @Test func newStyleEventUsesSeriesAndEventTime() throws {
        let events = try load("v1.36", "events-k8s-io-v1-events-list.json")
        let oom = try #require(events.first { $0.reason == "OOMKillDetected" })
        #expect(oom.displayCount == 5)
        #expect(oom.firstTimestamp == nil)
        #expect(oom.firstSeen == oom.eventTime)
        #expect(oom.lastSeen == oom.series?.lastObservedTime)
        #expect(oom.related?.kind == "Node")
        let scheduled = try #require(events.first { $0.reason == "Scheduled" })
        #expect(scheduled.displayCount == 1)
        #expect(scheduled.from == "default-scheduler")
    }

    @Test func missingOrZeroCountShowsOne() throws {
        let json = #"{"metadata":{"name":"e","creationTimestamp":"2026-01-01T00:00:00Z"},"count":0,"firstTimestamp":null,"lastTimestamp":null,"eventTime":null}"#
        let e = try KubeJSON.makeDecoder().decode(Event.self, from: Data(json.utf8))
        #expect(e.displayCount == 1)
        #expect(e.firstSeen == KubeTime.parse("2026-01-01T00:00:00Z"))
        #expect(e.lastSeen == e.firstSeen)
    }
}
