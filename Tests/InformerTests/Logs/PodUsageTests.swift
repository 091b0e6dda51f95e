import Foundation
import Testing
import Informer

@Suite struct PodUsageTests {
    @Test func usageIsInMillicoresAndMebibytesLikeKubectlTop() throws {
        let json = #"{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"web-0","namespace":"prod","creationTimestamp":"2026-07-01T10:00:03Z"},"timestamp":"2026-07-01T10:00:00Z","window":"15.021s","containers":[{"name":"app","usage":{"cpu":"12345678n","memory":"51234Ki"}},{"name":"sidecar","usage":{"cpu":"250u","memory":"8Mi"}}]}"#
        let usage = PodUsage(try KubeJSON.makeDecoder().decode(PodMetrics.self, from: Data(json.utf8)))
        #expect(usage.containers.map(\.milliCPU) == [13, 1])
        #expect(usage.containers.map(\.memoryMiB) == [50, 8])
        #expect(usage.totalMilliCPU == 14)
        #expect(usage.totalMemoryBytes == 51234 * 1024 + 8 * 1_048_576)
        #expect(usage.window == "15.021s")
    }
}
