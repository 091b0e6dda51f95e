import Foundation
import Testing
@testable import Informer

/// The simdjson engine must decode exactly what the Foundation (Codable) engine decodes: the
/// models are `Hashable`, so every object from the real API server captures and from a
/// simulated cluster is compared whole.
@Suite struct SimdDecodingEngineTests {
    let simd = SimdDecodingEngine()
    let reference = FoundationDecodingEngine()

    /// The items of a list body, slimmed as the informer stores them.
    func items(_ body: [UInt8]) throws -> [[UInt8]] {
        try ListDecoder().split(body).0
    }

    func expectSameObjects(_ body: [UInt8], _ resource: InformerID.Resource, minimum: Int) throws {
        let slices = try items(body)
        #expect(slices.count >= minimum)
        for slice in slices {
            switch (try simd.decodeObject(slice, resource: resource), try reference.decodeObject(slice, resource: resource)) {
            case (.pod(let a, _), .pod(let b, _)): #expect(a == b, "\(b.metadata.key)")
            case (.event(let a, _), .event(let b, _)): #expect(a == b, "\(b.metadata.key)")
            default: Issue.record("different kinds of object")
            }
        }
    }

    @Test(arguments: ["v1.36", "v1.28"])
    func realServerPodsDecodeAsTheCodableModelDoes(version: String) throws {
        try expectSameObjects(Fixtures.bytes(version, "pods/pods-list.json"), .pods, minimum: 19)
        let single = try Fixtures.bytes(version, "pods/pod-get-crashloop-oom.json")
        guard case .pod(let a, _) = try simd.decodeObject(single, resource: .pods),
              case .pod(let b, _) = try reference.decodeObject(single, resource: .pods) else {
            Issue.record("not a pod"); return
        }
        #expect(a == b)
        #expect(a.kind == "Pod")
        #expect(a.status?.containerStatuses?.contains { $0.lastState?.terminated?.reason == "OOMKilled" } == true)
    }

    @Test(arguments: ["v1.36", "v1.28"])
    func realServerEventsOfBothAPIsDecodeAsTheCodableModelDoes(version: String) throws {
        try expectSameObjects(Fixtures.bytes(version, "events/core-v1-events-list.json"), .events, minimum: 5)
        try expectSameObjects(Fixtures.bytes(version, "events/events-k8s-io-v1-events-list.json"), .events, minimum: 5)
    }

    @Test(arguments: ["v1.36", "v1.28"])
    func realServerStatusErrorsDecodeAsTheCodableModelDoes(version: String) throws {
        let folder = Fixtures.url(version, "errors")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("200-") && !$0.hasPrefix("log-") && !$0.hasPrefix("list-") }
        #expect(files.count >= 15)
        for file in files {
            let body = try Fixtures.bytes(version, "errors/\(file)")
            #expect(try simd.decodeStatus(body) == reference.decodeStatus(body), "\(file)")
        }
    }

    /// v1.36 only: v1.28 answers a WatchList request with 422.
    @Test func realWatchListBookmarkEndsTheInitialEvents() throws {
        let lines = try String(decoding: Fixtures.bytes("v1.36", "watch/watchlist-pods.jsonl"), as: UTF8.self)
            .split(separator: "\n").map { Array($0.utf8) }
        var bookmarks = 0
        for line in lines where String(decoding: line, as: UTF8.self).contains(#""type":"BOOKMARK""#) {
            let object = try objectMember(of: line)
            let a = try simd.decodeBookmark(object)
            let b = try reference.decodeBookmark(object)
            #expect(a.resourceVersion == b.resourceVersion && a.initialEventsEnd == b.initialEventsEnd)
            bookmarks += a.initialEventsEnd ? 1 : 0
        }
        #expect(bookmarks == 1)
    }

    @Test func simulatedPodsAndEventsDecodeAsTheCodableModelDoes() async throws {
        try await withSimulator({ $0.pods = 150 }) { simulator, url in
            simulator.tick()
            let client = makeClient(url)
            try expectSameObjects(try await client.get(path: APICollection.pods.path(namespace: nil)), .pods, minimum: 150)
            try expectSameObjects(try await client.get(path: APICollection.coreEvents.path(namespace: nil)), .events, minimum: 50)
            try expectSameObjects(try await client.get(path: APICollection.eventsV1.path(namespace: nil)), .events, minimum: 50)
        }
    }

    /// The simdjson list splitter cuts exactly what the byte scanner (`ScannerSlimmer`) cuts:
    /// on compact JSON (what servers send) the slimmed items are byte for byte the same.
    @Test func listSplitterSlimsItemsAsTheScannerDoes() async throws {
        try await withSimulator({ $0.pods = 120 }) { _, url in
            let body = try await makeClient(url).get(path: APICollection.pods.path(namespace: nil))
            let split = try items(body)
            let scanned: [[UInt8]] = try body.withUnsafeBufferPointer { b in
                let scanner = JSONScanner(bytes: b)
                let top = try scanner.members(ofObjectAt: 0)
                let list = try #require(scanner.member("items", in: top))
                return try scanner.elements(ofArrayAt: list.value.lowerBound).map { try ScannerSlimmer.slim(scanner, object: $0) }
            }
            #expect(split.count == 120)
            #expect(split == scanned)
            #expect(!split.contains { String(decoding: $0, as: UTF8.self).contains("managedFields") })
        }
    }

    /// Watch events are slimmed by the same simdjson cuts: on the API server's own watch
    /// streams (managedFields in every object) each pod's JSON is byte for byte what the byte
    /// scanner makes of it.
    @Test(arguments: [("v1.36", "watch/watch-pods.jsonl"), ("v1.36", "watch/watchlist-pods.jsonl"),
                      ("v1.28", "watch/watch-pods.jsonl")])
    func watchObjectsAreSlimmedAsTheScannerDoes(version: String, file: String) throws {
        let lines = try Fixtures.bytes(version, file).split(separator: UInt8(ascii: "\n")).map(Array.init)
        var compared = 0
        for line in lines {
            guard case .change(let change)? = try WatchDecoder(resource: .pods).decodeLine(line),
                  case .pod(_, let json) = change.object else { continue }
            let expected = try line.withUnsafeBufferPointer { b in
                let scanner = JSONScanner(bytes: b)
                let object = try #require(scanner.member("object", in: try scanner.members(ofObjectAt: 0)))
                return try ScannerSlimmer.slim(scanner, object: object.value)
            }
            #expect(json == expected)
            #expect(!String(decoding: json, as: UTF8.self).contains("managedFields"))
            compared += 1
        }
        #expect(compared >= 5)
    }

    @Test func wrongTypesAndMissingRequiredFieldsAreErrorsNamingTheField() throws {
        let cases: [(String, String)] = [
            (#"{"metadata":{"name":5}}"#, "name"),
            (#"{"metadata":{"name":"a"},"spec":{"containers":[{"image":"x"}]}}"#, "name"),
            (#"{"metadata":{"labels":{"a":1}}}"#, "labels"),
            (#"{"metadata":{"creationTimestamp":"yesterday"}}"#, "creationTimestamp"),
            (#"{"status":{"containerStatuses":[{"name":"c","restartCount":"3"}]}}"#, "restartCount"),
        ]
        for (json, field) in cases {
            #expect(throws: KubeDecodingError.self, "\(json)") { try simd.decodeObject(Array(json.utf8), resource: .pods) }
            do {
                _ = try simd.decodeObject(Array(json.utf8), resource: .pods)
            } catch let KubeDecodingError.objectDecodingFailed(type, detail) {
                #expect(type == "pods")
                #expect(detail.contains(field), "\(detail)")
            }
        }
        #expect(throws: KubeDecodingError.self) { try simd.decodeObject(Array(#"{"metadata":"#.utf8), resource: .pods) }
        #expect(throws: KubeDecodingError.self) { try simd.decodeObject(Array("[1,2]".utf8), resource: .events) }
    }

    @Test func nullsAreAbsentAndEscapesAndNonASCIIAreDecoded() throws {
        let json = #"{"metadata":{"name":"caf\u00e9-\"q\"","namespace":null,"labels":{"k":"日本"}},"status":{"startTime":null,"containerStatuses":[{"name":"c","lastState":{"terminated":{"reason":"OOMKilled"}}}]}}"#
        guard case .pod(let pod, _) = try simd.decodeObject(Array(json.utf8), resource: .pods),
              case .pod(let expected, _) = try reference.decodeObject(Array(json.utf8), resource: .pods) else {
            Issue.record("not a pod"); return
        }
        #expect(pod == expected)
        #expect(pod.metadata.name == "café-\"q\"")
        #expect(pod.metadata.namespace == nil)
        #expect(pod.metadata.labels == ["k": "日本"])
        // A terminated state without exitCode reads as 0, as the Codable model does.
        #expect(pod.status?.containerStatuses?.first?.lastState?.terminated?.exitCode == 0)
    }

    /// The `object` member of a watch event line.
    private func objectMember(of line: [UInt8]) throws -> [UInt8] {
        try line.withUnsafeBufferPointer { b in
            let scanner = JSONScanner(bytes: b)
            let members = try scanner.members(ofObjectAt: scanner.skipWhitespace(0))
            guard let object = scanner.member("object", in: members) else { throw KubeDecodingError.missingEnvelopeField("object") }
            return Array(b[object.value])
        }
    }
}
