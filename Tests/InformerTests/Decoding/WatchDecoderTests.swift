import Foundation
import Testing
@testable import Informer

/// The same watch bytes must give the same events however they are cut (§9 items 9–12, 15, 16).
@Suite struct WatchDecoderTests {
    /// A comparable fingerprint of an event.
    func describe(_ e: WatchEvent) -> String {
        switch e {
        case .change(let c): "\(c.kind.rawValue) \(c.object.key) \(c.object.resourceVersion ?? "") \(c.object.json.count)"
        case .bookmark(let rv, let end): "BOOKMARK \(rv) \(end)"
        case .error(let s): "ERROR \(s.code ?? 0) \(s.reason ?? "")"
        }
    }

    func decodeAll(_ chunks: [ArraySlice<UInt8>], resource: InformerID.Resource = .pods) throws -> [WatchEvent] {
        var decoder = WatchDecoder(resource: resource)
        var events: [WatchEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        events += try decoder.finish()
        return events
    }

    @Test(arguments: ["v1.36", "v1.28"])
    func realWatchStreamDecodesIdenticallyAtAnyChunking(version: String) throws {
        let bytes = try Fixtures.bytes(version, "watch/watch-pods.jsonl")
        let whole = try decodeAll([bytes[...]]).map(describe)
        #expect(whole.count == 8)
        #expect(whole.prefix(6).map { $0.split(separator: " ")[0] } == ["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"])
        #expect(whole.last?.hasPrefix("BOOKMARK") == true)
        for seed in UInt64(1)...40 {
            var rng = SeededRandom(seed: seed)
            let maxChunk = [1, 7, 64, 1000, 9000][Int(seed % 5)]
            let chunked = try decodeAll(randomChunks(bytes, maxChunk: maxChunk, rng: &rng)).map(describe)
            #expect(chunked == whole, "seed \(seed) max \(maxChunk)")
        }
    }

    @Test func bookmarksCarryOnlyTheResumePoint() throws {
        let events = try decodeAll([try Fixtures.bytes("v1.36", "watch/watch-pods.jsonl")[...]])
        guard case .bookmark(let rv, let end) = events[6] else { Issue.record("not a bookmark"); return }
        #expect(rv == "578")
        #expect(!end)
        #expect(events[7].resourceVersion == "580")
    }

    @Test func deletedEventCarriesTheLastStateOfTheObject() throws {
        let events = try decodeAll([try Fixtures.bytes("v1.36", "watch/watch-pods.jsonl")[...]])
        guard case .change(let c) = events[5], case .pod(let pod, _) = c.object else { Issue.record("not a change"); return }
        #expect(c.kind == .deleted)
        #expect(pod.metadata.deletionTimestamp != nil)
        #expect(pod.metadata.resourceVersion == "567")
    }

    @Test func watchListEndsInitialEventsWithAnnotatedBookmark() throws {
        let events = try decodeAll([try Fixtures.bytes("v1.36", "watch/watchlist-pods.jsonl")[...]])
        #expect(events.count == 20)
        #expect(events.prefix(19).allSatisfy { if case .change(let c) = $0 { c.kind == .added } else { false } })
        guard case .bookmark(let rv, let end) = events[19] else { Issue.record("no bookmark"); return }
        #expect(rv == "580")
        #expect(end)
    }

    @Test func errorEventDecodesAsExpiredStatus() throws {
        let events = try decodeAll([try Fixtures.bytes("v1.36", "errors/watch-410-rv-older-than-watch-cache.jsonl")[...]])
        guard case .error(let status) = try #require(events.first) else { Issue.record("not an error"); return }
        #expect(status.code == 410)
        #expect(status.isExpired)
        #expect(status.message?.hasPrefix("too old resource version") == true)
    }

    @Test func manyEventsInOneChunkArriveInOrder() throws {
        var text = ""
        for i in 0..<50 {
            text += #"{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"p\#(i)","namespace":"n","resourceVersion":"\#(100 + i)"}}}"# + "\n"
        }
        let events = try decodeAll([Array(text.utf8)[...]])
        #expect(events.map { $0.resourceVersion ?? "" } == (0..<50).map { String(100 + $0) })
    }

    @Test func utf8SplitAcrossChunksDecodesOnce() throws {
        let name = "caf\u{E9}-\u{65E5}\u{672C}-\u{1F680}"
        let line = #"{"type":"ADDED","object":{"metadata":{"name":"p","namespace":"n","resourceVersion":"1","labels":{"x":"\#(name)"}}}}"# + "\n"
        let bytes = Array(line.utf8)
        // Every single cut point, including inside each multi-byte sequence.
        for cut in 1..<bytes.count {
            let events = try decodeAll([bytes[..<cut], bytes[cut...]])
            guard events.count == 1, case .change(let c) = events[0], case .pod(let pod, _) = c.object else {
                Issue.record("cut \(cut) gave \(events.count) events"); return
            }
            #expect(pod.metadata.labels?["x"] == name)
        }
    }

    @Test func twoMegabyteEventDecodes() throws {
        let big = String(repeating: "x", count: 2 << 20)
        let line = #"{"type":"MODIFIED","object":{"metadata":{"name":"big","namespace":"n","resourceVersion":"9","annotations":{"blob":"\#(big)"}}}}"# + "\n"
        var rng = SeededRandom(seed: 7)
        let events = try decodeAll(randomChunks(Array(line.utf8), maxChunk: 16 << 10, rng: &rng))
        guard case .change(let c) = try #require(events.first), case .pod(let pod, _) = c.object else { Issue.record("no pod"); return }
        #expect(pod.metadata.annotations?["blob"]?.count == 2 << 20)
    }

    /// The server's own shape takes a shortcut (the object runs to the envelope's end); every
    /// other valid shape must decode to the same event through the general path.
    @Test(arguments: [
        #"{"type":"MODIFIED","object":OBJ}"#,
        #" { "type" : "MODIFIED" , "object" : OBJ } "#,
        #"{"object":OBJ,"type":"MODIFIED"}"#,
        #"{"type":"MODIFIED","object":OBJ,"extra":{"a":{}}}"#,
        #"{"type":"MODIFIED","object":OBJ,"extra":1}"#,
    ])
    func envelopeShapesDecodeToTheSameEvent(shape: String) throws {
        let object = #"{"metadata":{"name":"p","namespace":"n","resourceVersion":"7","managedFields":[{"manager":"m"}]},"spec":{"nodeName":"node-1"}}"#
        let line = shape.replacingOccurrences(of: "OBJ", with: object) + "\n"
        let events = try decodeAll([Array(line.utf8)[...]])
        guard events.count == 1, case .change(let c) = events[0], case .pod(let pod, let json) = c.object else {
            Issue.record("\(events.count) events"); return
        }
        #expect(c.kind == .modified && pod.metadata.name == "p" && pod.spec?.nodeName == "node-1")
        #expect(String(decoding: json, as: UTF8.self) == #"{"metadata":{"name":"p","namespace":"n","resourceVersion":"7"},"spec":{"nodeName":"node-1"}}"#)
    }

    @Test func finalLineWithoutNewlineIsDecodedAtCleanEnd() throws {
        let text = #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"42"}}}"#
        var decoder = WatchDecoder(resource: .pods)
        #expect(try decoder.feed(Array(text.utf8)).isEmpty)
        let events = try decoder.finish()
        #expect(events.first?.resourceVersion == "42")
    }

    @Test func blankLinesAreSkipped() throws {
        let text = "\n\r\n" + #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"5"}}}"# + "\n\n"
        #expect(try decodeAll([Array(text.utf8)[...]]).count == 1)
    }

    @Test func unknownEventTypeIsAnError() {
        let text = #"{"type":"SURPRISE","object":{"metadata":{}}}"# + "\n"
        #expect(throws: KubeDecodingError.unknownEventType("SURPRISE")) { try decodeAll([Array(text.utf8)[...]]) }
    }

    @Test func undecodableJsonIsAnError() {
        #expect(throws: KubeDecodingError.self) { try decodeAll([Array("{\"type\":\"ADDED\",\"object\":{\"metadata\":\n".utf8)[...]]) }
        #expect(throws: KubeDecodingError.self) { try decodeAll([Array("not json\n".utf8)[...]]) }
        // Structurally fine but the wrong shape for a pod.
        #expect(throws: KubeDecodingError.self) { try decodeAll([Array(#"{"type":"ADDED","object":{"metadata":{"name":5}}}"#.utf8)[...]]) }
    }

    @Test func eventsDecodeFromEitherApiOnTheEventsResource() throws {
        let line = #"{"type":"ADDED","object":{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e","namespace":"n","resourceVersion":"3"},"regarding":{"name":"p"},"note":"hi","eventTime":"2026-07-01T10:00:00.123456Z","series":{"count":4,"lastObservedTime":"2026-07-01T10:05:00.000001Z"}}}"# + "\n"
        let events = try decodeAll([Array(line.utf8)[...]], resource: .events)
        guard case .change(let c) = try #require(events.first), case .event(let e, _) = c.object else { Issue.record("no event"); return }
        #expect(e.message == "hi")
        #expect(e.regarding?.name == "p")
        #expect(e.displayCount == 4)
    }
}
