import Foundation
import Informer
import KubeSim
import Testing

@Suite(.timeLimit(.minutes(1))) struct LogsAndMetricsTests {
    struct PodList: Decodable { var items: [Pod] }

    func pods(_ client: KubeClient) async throws -> [Pod] {
        try await client.list(.pods, namespace: nil, ListRequest()).objects.compactMap { if case .pod(let p, _) = $0 { p } else { nil } }
    }

    @Test func tailedLogLinesCarryParsedTimestamps() async throws {
        try await withSimulator({ $0.logLinesPerSecond = 5 }) { sim, url in
            let client = makeClient(url)
            let pod = try #require(try await pods(client).first {
                $0.status?.phase == "Running" && $0.spec?.containers?.count == 1 && $0.spec?.nodeName != nil
            })
            let stream = try await client.logs(namespace: pod.metadata.namespace!, pod: pod.metadata.name!,
                                               options: LogOptions(tailLines: 5, timestamps: true))
            var lines: [LogLine] = []
            for try await batch in stream { lines += batch }
            #expect(lines.count == 5)
            // The kubelet's prefix (9 fractional digits) is parsed off; the app's own text stays.
            for line in lines {
                let stamp = try #require(line.timestampText)
                #expect(stamp.count == 30)
                #expect(KubeTime.parse(stamp) == line.timestamp)
                #expect(!line.text.hasPrefix(stamp))
            }
        }
    }

    @Test func multiContainerPodWithoutContainerShowsTheServersMessage() async throws {  // item 54
        try await withSimulator { sim, url in
            let client = makeClient(url)
            let pod = try #require(try await pods(client).first { ($0.spec?.containers?.count ?? 0) > 1 })
            do {
                _ = try await client.logs(namespace: pod.metadata.namespace!, pod: pod.metadata.name!, options: LogOptions())
                Issue.record("expected 400")
            } catch let error as KubeClientError {
                #expect(error.statusCode == 400)
                #expect(error.description.contains("a container name must be specified"))
            }
        }
    }

    @Test func metricsAreReadAndMissingApiIsUnavailable() async throws {  // item 61
        try await withSimulator { sim, url in
            let client = makeClient(url)
            let pod = try #require(try await pods(client).first { $0.status?.phase == "Running" })
            guard case .usage(let usage) = try await client.podMetrics(namespace: pod.metadata.namespace!, name: pod.metadata.name!) else {
                Issue.record("expected usage"); return
            }
            #expect(!usage.containers.isEmpty)
            #expect(usage.totalMilliCPU >= 0)
            guard case .unavailable = try await client.podMetrics(namespace: "prod", name: "no-such-pod") else {
                Issue.record("expected unavailable"); return
            }
        }
        try await withSimulator({ $0.metricsEnabled = false }) { sim, url in
            guard case .unavailable = try await makeClient(url).podMetrics(namespace: "prod", name: "x") else {
                Issue.record("expected unavailable"); return
            }
        }
    }
}
