import Foundation
import Testing
import Informer

@Suite struct KubeTimeTests {
    @Test func parsesWholeSecondsMicrosAndNanos() throws {
        let base = 1_782_900_000.0  // 2026-07-01T10:00:00Z
        #expect(KubeTime.parse("2026-07-01T10:00:00Z")?.timeIntervalSince1970 == base)
        let micro = try #require(KubeTime.parse("2026-07-01T10:00:00.123456Z")).timeIntervalSince1970
        #expect(abs(micro - (base + 0.123456)) < 1e-6)
        let nano = try #require(KubeTime.parse("2026-07-01T10:00:00.123456789Z")).timeIntervalSince1970
        #expect(abs(nano - (base + 0.123456789)) < 1e-6)
        #expect(KubeTime.parse("2026-07-01T12:00:00+02:00")?.timeIntervalSince1970 == base)
    }

    @Test func rejectsNonTimes() {
        for text in ["", "2026-07-01", "2026-07-01T10:00:00", "2026-13-01T10:00:00Z", "2026-07-01T10:00:00.Z", "x026-07-01T10:00:00Z", "2026-07-01T10:00:00Zjunk"] {
            #expect(KubeTime.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsRoundTripWholeSeconds() {
        let d = Date(timeIntervalSince1970: 1_782_900_000.7)
        #expect(KubeTime.format(d) == "2026-07-01T10:00:00Z")
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}

@Suite struct FieldSelectorTests {
    @Test func valuesWithCommaEqualsOrBackslashAreEscaped() {  // item 44
        #expect(fieldSelectorTerm("involvedObject.name", "a,b=c\\d") == #"involvedObject.name=a\,b\=c\\d"#)
        #expect(fieldSelectorTerm("involvedObject.uid", "5c89a2a1") == "involvedObject.uid=5c89a2a1")
    }

    @Test func queryValuesArePercentEncoded() {
        #expect(APICollection.pods.path(namespace: "prod") == "/api/v1/namespaces/prod/pods")
        #expect(APICollection.eventsV1.path(namespace: nil) == "/apis/events.k8s.io/v1/events")
    }
}
