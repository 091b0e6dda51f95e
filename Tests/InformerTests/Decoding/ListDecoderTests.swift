import Foundation
import Testing
@testable import Informer

@Suite struct ListDecoderTests {
    @Test(arguments: ["v1.36", "v1.28"])
    func realPodListSplitsIntoItemsWithListResourceVersion(version: String) throws {
        let list = try ListDecoder().decode(Fixtures.bytes(version, "pods/pods-list.json"), resource: .pods)
        #expect(list.objects.count == 19)
        #expect(list.kind == "PodList")
        #expect(list.metadata.resourceVersion == (version == "v1.36" ? "558" : "410"))
        #expect(list.metadata.continue == nil)
        // The list RV is the snapshot; items carry their own older RVs.
        #expect(list.objects.allSatisfy { $0.resourceVersion != list.metadata.resourceVersion })
    }

    @Test func itemJsonKeepsEverythingButManagedFields() throws {
        let list = try ListDecoder().decode(Fixtures.bytes("v1.36", "pods/pods-list.json"), resource: .pods)
        for object in list.objects {
            let text = String(decoding: object.json, as: UTF8.self)
            #expect(!text.contains("managedFields"))
            // Still valid JSON with the spec and status the focus view shows.
            let parsed = try JSONSerialization.jsonObject(with: Data(object.json)) as? [String: Any]
            #expect(parsed?["spec"] != nil)
            #expect((parsed?["metadata"] as? [String: Any])?["uid"] as? String == object.metadata.uid)
        }
    }

    @Test func lastAppliedAnnotationIsStrippedAndOtherAnnotationsKept() throws {
        let body = #"{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"a","namespace":"n","annotations":{"keep":"1","kubectl.kubernetes.io/last-applied-configuration":"{\"big\":true}","also":"2"},"managedFields":[{"manager":"x"}]},"spec":{"containers":[{"name":"c"}]}}]}"#
        let list = try ListDecoder().decode(Array(body.utf8), resource: .pods)
        let json = String(decoding: list.objects[0].json, as: UTF8.self)
        #expect(json == #"{"metadata":{"name":"a","namespace":"n","annotations":{"keep":"1","also":"2"}},"spec":{"containers":[{"name":"c"}]}}"#)
    }

    @Test func pagedListExposesContinueToken() throws {
        let page = try ListDecoder().decode(Fixtures.bytes("v1.36", "pods/pods-list-limit4-page1.json"), resource: .pods)
        #expect(page.objects.count == 4)
        #expect(page.metadata.continue?.isEmpty == false)
        #expect(page.metadata.remainingItemCount == 15)
        let last = try ListDecoder().decode(Fixtures.bytes("v1.36", "pods/pods-list-limit4-page5.json"), resource: .pods)
        #expect(last.metadata.continue == nil || last.metadata.continue == "")
        #expect(last.metadata.resourceVersion == page.metadata.resourceVersion)
    }

    @Test func largeListDecodesInParallelAndKeepsOrder() throws {
        var items: [String] = []
        for i in 0..<1000 {
            items.append(#"{"metadata":{"name":"p\#(i)","namespace":"n","resourceVersion":"\#(i)"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}}"#)
        }
        let body = #"{"kind":"PodList","metadata":{"resourceVersion":"5000"},"items":["# + items.joined(separator: ",") + "]}"
        let list = try ListDecoder().decode(Array(body.utf8), resource: .pods)
        #expect(list.objects.map(\.key) == (0..<1000).map { "n/p\($0)" })
    }

    /// A LIST page of 10,000-pod scale (~4 MB) grows a parser's buffers to several times its
    /// size; kept like that in the pool they would outlive the relist as resident memory.
    @Test func parsersKeptAfterSplittingALargePageHoldNoPageSizedBuffers() throws {
        let padding = String(repeating: "x", count: 8_000)
        let items = (0..<500).map { #"{"metadata":{"name":"p\#($0)","namespace":"n","annotations":{"a":"\#(padding)"}},"spec":{}}"# }
        let body = #"{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":["# + items.joined(separator: ",") + "]}"
        #expect(body.utf8.count > 2 * ObjectSlimmer.parsers.maxKeptCapacity)
        let list = try ListDecoder().decode(Array(body.utf8), resource: .pods)
        #expect(list.objects.count == 500)
        let kept = ObjectSlimmer.parsers.keptCapacities
        #expect(!kept.isEmpty)
        #expect(kept.allSatisfy { $0 <= ObjectSlimmer.parsers.maxKeptCapacity }, "kept capacities: \(kept)")
    }

    @Test func badItemFailsTheWholeList() {
        let body = #"{"metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":1}}]}"#
        #expect(throws: KubeDecodingError.self) { try ListDecoder().decode(Array(body.utf8), resource: .pods) }
    }

    @Test func eventListsDecodeFromBothApis() throws {
        let core = try ListDecoder().decode(Fixtures.bytes("v1.36", "events/core-v1-events-list.json"), resource: .events)
        let new = try ListDecoder().decode(Fixtures.bytes("v1.36", "events/events-k8s-io-v1-events-list.json"), resource: .events)
        #expect(core.objects.count == 15)
        #expect(new.objects.count == 15)
        #expect(core.objects.allSatisfy { if case .event = $0 { true } else { false } })
    }
}
