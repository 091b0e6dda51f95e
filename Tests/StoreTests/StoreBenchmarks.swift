import Foundation
import Informer
import Testing
@testable import Store

/// Timings for the report, not assertions: run with `KUBELUMA_STORE_BENCH=1` (ideally in a
/// release build) and read the printed lines. Skipped otherwise so the suite stays fast.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KUBELUMA_STORE_BENCH"] == "1"))
struct StoreBenchmarks {
    static let padding = String(repeating: "x", count: 4_800)

    /// A pod of about 5.5 KB of JSON, like the realistic pods the design measures with.
    static func bigPod(_ i: Int, rv: String = "1") -> KubeObject {
        let base = Fixture.podJSON(namespace: "ns-\(i % 50)", name: "web-\(i)-7d9f8", rv: rv,
                                   containers: [ContainerFixture(restartCount: i % 3, lastState: i % 3 == 0 ? [:] :
                                                ContainerFixture.terminated(reason: "Error", exitCode: 1, id: "c://\(i)-\(i % 3)"))])
        var object = try! JSONSerialization.jsonObject(with: Data(base)) as! [String: Any]
        var metadata = object["metadata"] as! [String: Any]
        metadata["annotations"] = ["example.com/blob": padding]
        metadata["labels"] = ["app": "web", "pod-template-hash": "7d9f8"]
        object["metadata"] = metadata
        let json = Array(try! JSONSerialization.data(withJSONObject: object))
        return .pod(try! KubeJSON.makeDecoder().decode(Pod.self, from: Data(json)), json: json)
    }

    func time(_ body: () async throws -> Void) async rethrows -> Duration {
        let start = ContinuousClock.now
        try await body()
        return ContinuousClock.now - start
    }

    func median(_ samples: [Duration]) -> Duration { samples.sorted()[samples.count / 2] }

    @Test func printStoreTimings() async throws {
        let dir = try TemporaryDirectory()
        let pods = (0..<10_000).map { Self.bigPod($0) }
        let bytes = pods.reduce(0) { total, object in
            guard case let .pod(_, json) = object else { return total }
            return total + json.count
        }
        var report: [String] = ["pods: 10000, JSON \(bytes / 1_000_000) MB"]
        let records = await time {
            for object in pods { if case let .pod(pod, json) = object { _ = PodRecord(pod: pod, json: json) } }
        }
        report.append("summaries of 10,000 pods (PodRecord, no SQL): \(records)")
        for attempt in 1...2 {
            let scratch = try TemporaryDirectory()
            let fresh = try ClusterCache.openForTest(scratch)
            report.append("replace 10,000 pods into a fresh cache, run \(attempt): \(try await time { try await fresh.replace(Fixture.allPods, objects: pods, resourceVersion: "1") })")
        }
        do {
            let cache = try ClusterCache.openForTest(dir)
            report.append("replace 10,000 pods (one transaction): \(try await time { try await cache.replace(Fixture.allPods, objects: pods, resourceVersion: "1") })")
            report.append("relist of the same 10,000 (unchanged RVs): \(try await time { try await cache.replace(Fixture.allPods, objects: pods, resourceVersion: "2") })")
            let updates = (0..<10_000).map { WatchChange(kind: .modified, object: Self.bigPod($0, rv: "3")) }
            let applied = try await time {
                for start in stride(from: 0, to: updates.count, by: 500) {
                    try await cache.apply(Fixture.allPods, changes: Array(updates[start..<start + 500]), resourceVersion: "3")
                }
            }
            report.append("10,000 watch updates in batches of 500: \(applied) → \(Int(10_000 / (Double(applied.components.attoseconds) / 1e18 + Double(applied.components.seconds)))) /s")
            var allSamples: [Duration] = []
            for _ in 0..<21 { allSamples.append(await time { _ = cache.index.snapshot().allPods }) }
            report.append("allPods (10,000 rows, no matching): median \(median(allSamples))")
            for pattern in [".", "^web-1", "(?i)WEB-.*-7d9f8$", "web-(12|34)\\d+-", "zzz"] {
                var samples: [Duration] = []
                var count = 0
                for _ in 0..<21 {
                    samples.append(try await time { count = try cache.index.pods(matching: pattern).pods.count })
                }
                report.append("regex \(pattern) over 10,000 names: median \(median(samples)) (\(count) matches)")
            }
            let pathological = await time { _ = try? cache.index.pods(matching: "(a+)+$") }
            report.append("(a+)+$ over the 10,000 ordinary names: \(pathological)")
            let evil = PodIndex(rows: (0..<10_000).map { i in
                PodRow(uid: "\(i)", namespace: "ns", name: String(repeating: "a", count: 40) + "-\(i)", phase: "", status: "",
                       ready: 0, total: 0, restarts: 0, lastRestart: nil, node: nil, podIP: nil, hostIP: nil,
                       createdAt: nil, resourceVersion: "1", seq: 1)
            }, seq: 1)
            var outcome = ""
            let evilTime = await time {
                do { _ = try evil.pods(matching: "(a+)+$") } catch { outcome = "\(error)" }
            }
            report.append("(a+)+$ over 10,000 names of 40 a's: \(evilTime) → \(outcome)")
            let floorDir = try TemporaryDirectory()
            let floorDB = try Connection(path: floorDir.path("floor.sqlite"), mode: .writer)
            try floorDB.execute("CREATE TABLE t (uid TEXT PRIMARY KEY, ns TEXT, name TEXT, json BLOB); CREATE INDEX t_name ON t (ns, name)")
            let floor = try await time {
                try floorDB.transaction {
                    for (i, object) in pods.enumerated() {
                        guard case let .pod(_, json) = object else { continue }
                        try floorDB.run("INSERT INTO t VALUES (?, ?, ?, ?)", [.text("uid-\(i)"), .text("ns-\(i % 50)"), .text("web-\(i)"), .blob(json)])
                    }
                }
            }
            report.append("floor: bare SQLite insert of the same 10,000 JSON blobs in one transaction: \(floor)")
            let events = (0..<50_000).map { i in Fixture.event(uid: "e\(i)", namespace: "ns-0", pod: "web-\((i % 200) * 50)-7d9f8",
                                                               podUID: "uid-ns-0-web-\((i % 200) * 50)-7d9f8") }
            report.append("replace 50,000 events: \(try await time { try await cache.replace(Fixture.allEvents, objects: events, resourceVersion: "1") })")
            var samples: [Duration] = []
            var found = 0
            for i in 0..<21 {
                samples.append(try await time { found = try await cache.events(podUID: "uid-ns-0-web-\(i * 50)-7d9f8").count })
            }
            report.append("events of one pod among 50,000 (\(found) rows): median \(median(samples))")
        }
        var reopened: ClusterCache?
        report.append("warm open (migrate check + load 10,000 rows into the index): \(try await time { reopened = try ClusterCache.openForTest(dir) })")
        #expect(reopened?.index.snapshot().count == 10_000)
        print(report.map { "STORE-BENCH " + $0 }.joined(separator: "\n"))
    }
}
