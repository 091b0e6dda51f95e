import Foundation
import Informer
import KubeSim
import Testing

/// Figures for the closing note, not pass/fail timing: enabled with KUBELUMA_BENCH=1 and
/// meaningful only in a release build (`swift test -c release`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KUBELUMA_BENCH"] == "1"), .timeLimit(.minutes(5)))
struct PerformanceFigures {
    @Test func coldSyncAndDecodeThroughputOf10000Pods() async throws {
        try await withSimulator({ $0.pods = 10_000 }) { sim, url in
            let client = makeClient(url)
            let body = try await client.get(path: "/api/v1/pods")
            if let dump = ProcessInfo.processInfo.environment["KUBELUMA_BENCH_DUMP"] {
                // For measuring the release-built decoder outside the test bundle.
                try Data(body).write(to: URL(fileURLWithPath: dump))
            }
            let mb = Double(body.count) / 1_048_576
            let clock = ContinuousClock()
            var best = Duration.seconds(100)
            for _ in 0..<3 {
                let d = try clock.measure { _ = try ListDecoder().decode(body, resource: .pods) }
                best = min(best, d)
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
            print("FIGURE list bytes=\(body.count) (\(String(format: "%.1f", mb)) MB) decode=\(best) throughput=\(String(format: "%.0f", mb / seconds)) MB/s")

            for _ in 0..<3 {
                let store = RecordingStore()
                let informer = makeInformer(client: client, store: store, sleeps: RecordedSleeps())
                let start = clock.now
                try await running(informer) { await store.waitUntil { $0.replaceCount == 1 } }
                print("FIGURE cold sync (paginated LIST 500 + decode + replace) of \(await store.state.count(InformerID(resource: .pods, namespace: nil))) pods: \(clock.now - start)")
            }

            // Watch events: decode + hand-off rate, from a synthetic stream of real-sized pods.
            let list = try ListDecoder().decode(body, resource: .pods)
            var stream: [UInt8] = []
            for object in list.objects.prefix(5000) {
                stream += Array(#"{"type":"MODIFIED","object":"#.utf8) + object.json + Array("}\n".utf8)
            }
            let d = try clock.measure {
                var decoder = WatchDecoder(resource: .pods)
                var n = 0
                var i = 0
                while i < stream.count {
                    n += try decoder.feed(stream[i..<min(stream.count, i + 65536)]).count
                    i += 65536
                }
                precondition(n == 5000)
            }
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            print("FIGURE watch decode: 5000 events in \(d) = \(Int(5000 / s)) events/s on one core")
        }
    }
}
