import Foundation
import Testing
import Informer

@Suite struct PodDecodingTests {
    @Test func fullPodDecodesEveryFieldTheUINeeds() throws {
        let pod = try KubeJSON.makeDecoder().decode(Pod.self, from: Fixtures.data("v1.36", "pods/pod-get-crashloop-oom.json"))
        #expect(pod.metadata.key == "fixtures/crashloop-oom")
        #expect(pod.metadata.uid == "5c89a2a1-0003-4b19-941a-76133c5b4aa8")
        #expect(pod.metadata.ownerReferences?.first?.kind == "ReplicaSet")
        #expect(pod.metadata.labels?["tier"] == "backend")
        let worker = try #require(pod.spec?.containers?.first { $0.name == "worker" })
        #expect(worker.env?.contains { $0.valueFrom?.configMapKeyRef != nil } == true)
        #expect(worker.env?.contains { $0.valueFrom?.resourceFieldRef?.resource != nil } == true)
        #expect(worker.resources?.limits?["memory"] != nil)
        let cs = try #require(pod.status?.containerStatuses?.first { $0.name == "worker" })
        #expect(cs.restartCount == 5)
        #expect(cs.lastState?.terminated?.reason == "OOMKilled")
        #expect(cs.lastState?.terminated?.exitCode == 137)
        #expect(pod.status?.qosClass != nil)
        #expect(pod.spec?.nodeName == "lab-node-1")
    }

    @Test func listItemsWithoutKindAndNullTimesDecode() throws {
        struct List: Decodable { var items: [Pod] }
        let list = try KubeJSON.makeDecoder().decode(List.self, from: Fixtures.data("v1.28", "pods/pods-list.json"))
        #expect(list.items.allSatisfy { $0.kind == nil })
        let gated = try #require(list.items.first { $0.metadata.name == "scheduling-gated" })
        #expect(gated.status?.condition("PodScheduled")?.lastTransitionTime == nil)
    }

    @Test func bookmarkObjectWithNullContainersDecodes() throws {
        let json = #"{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"578","creationTimestamp":null},"spec":{"containers":null},"status":{}}"#
        let pod = try KubeJSON.makeDecoder().decode(Pod.self, from: Data(json.utf8))
        #expect(pod.metadata.resourceVersion == "578")
        #expect(pod.spec?.containers == nil)
    }
}
