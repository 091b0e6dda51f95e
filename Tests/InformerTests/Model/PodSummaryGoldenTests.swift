import Foundation
import Testing
@testable import Informer

/// The STATUS/READY/RESTARTS columns must equal what the real apiserver printed for the same
/// objects (pod-status-golden.tsv), in both captured versions.
@Suite struct PodSummaryGoldenTests {
    struct PodList: Decodable { var items: [Pod] }

    @Test(arguments: ["v1.36", "v1.28"])
    func columnsMatchTheServerTableForEveryCapturedPod(version: String) throws {
        let list = try KubeJSON.makeDecoder().decode(PodList.self, from: Fixtures.data(version, "pods/pods-list.json"))
        let now = try Fixtures.captureTime(version, file: "pods/pods-list.json")
        let golden = try Fixtures.tsv(version, "pods/pod-status-golden.tsv")
        #expect(golden.count == 19)
        #expect(list.items.count == golden.count)
        for row in golden {
            let name = row[0]
            let pod = try #require(list.items.first { $0.metadata.name == name }, "pod \(name) missing")
            let summary = PodSummary(pod: pod)
            #expect(summary.status == row[1], "STATUS of \(name)")
            #expect(summary.readyText == row[2], "READY of \(name)")
            #expect(summary.restartsText(now: now) == row[3], "RESTARTS of \(name)")
            #expect(HumanDuration.since(pod.metadata.creationTimestamp, now: now) == row[4], "AGE of \(name)")
        }
    }

    @Test func sidecarIsReadyOn136ButStuckInInitOn128BecauseTheOldServerDroppedRestartPolicy() throws {
        let compare = try String(contentsOf: Fixtures.realAPIServer.appendingPathComponent("pod-status-golden-compare.tsv"), encoding: .utf8)
        let row = try #require(compare.split(separator: "\n").first { $0.hasPrefix("sidecar-running\t") })
            .split(separator: "\t").map(String.init)
        for (version, status, ready) in [("v1.36", row[1], row[2]), ("v1.28", row[4], row[5])] {
            let list = try KubeJSON.makeDecoder().decode(PodList.self, from: Fixtures.data(version, "pods/pods-list.json"))
            let pod = try #require(list.items.first { $0.metadata.name == "sidecar-running" })
            #expect(PodSummary(pod: pod).status == status)
            #expect(PodSummary(pod: pod).readyText == ready)
        }
    }
}
