import Foundation
import Testing

/// Logs and reads against the cluster: shared upstream streams, restarts, read-only.
@Suite(.serialized) struct SharedStreamTests {
    /// A running single-container pod from the first `pods` message.
    func runningPod(_ ws: TestSocket) async throws -> (ns: String, name: String, container: String) {
        ws.send(["action": "subscribe", "channel": "pod"])
        let first = try await ws.next { $0.type == "pods" }
        let rows = (first.data?["pods"] as? [[String: Any]]) ?? []
        let row = try #require(rows.first { $0["status"] as? String == "Running" && $0["total"] as? Int == 1 && $0["restarts"] as? Int == 0 })
        let name = row["name"] as! String
        // The app container is named after the workload (the scenario's convention).
        let app = String(name.split(separator: "-").dropLast(name.split(separator: "-").count > 2 ? 2 : 1).joined(separator: "-"))
        return (row["namespace"] as! String, name, app)
    }

    func logLines(_ ws: TestSocket, after: Int = 0) -> [String] {
        ws.messages.dropFirst(after).filter { $0.type == "log" }.flatMap { m -> [String] in
            (m["lines"] as? [String]) ?? [(m["line"] as? String) ?? ""]
        }
    }

    @Test func twoClientsShareOneUpstreamLogStream() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { a in
                try await h.socket { b in
                    let pod = try await runningPod(a)
                    b.send(["action": "subscribe", "channel": "pod"])
                    h.simulator.clearRequests()
                    for ws in [a, b] {
                        ws.send(["action": "subscribe", "channel": "logs", "pod": pod.name, "namespace": pod.ns,
                                 "container": pod.container, "tailLines": 3])
                    }
                    _ = try await a.next { $0.type == "log" }
                    _ = try await b.next { $0.type == "log" }
                    let logRequests = h.simulator.requests.filter { $0.path.hasSuffix("/\(pod.name)/log") }
                    #expect(logRequests.count == 1)
                    #expect(logRequests.first?.parameter("follow") == "true")
                }
            }
        }
    }

    @Test func logsFollowAContainerRestartWithoutDuplicates() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { ws in
                let pod = try await runningPod(ws)
                ws.send(["action": "subscribe", "channel": "logs", "pod": pod.name, "namespace": pod.ns,
                         "container": pod.container, "tailLines": 20, "timestamps": true])
                _ = try await ws.next { $0.type == "log" }
                #expect(h.simulator.restartContainer(namespace: pod.ns, name: pod.name))
                let status = try await ws.next(timeout: .seconds(15)) { $0.type == "logStatus" && $0["state"] as? String == "restarted" }
                #expect((status["message"] as? String)?.contains("restarted") == true)
                // Every line once, in order: timestamps strictly increase across the reopen.
                let stamps = logLines(ws).map { String($0.prefix { $0 != " " }) }
                #expect(!stamps.isEmpty)
                #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 })
            }
        }
    }

    @Test func onlyReadsReachTheCluster() async throws {
        try await Harness.run(pattern: "-") { h in
            try await h.socket { ws in
                let pod = try await runningPod(ws)
                ws.send(["action": "focus", "pod": pod.name, "namespace": pod.ns])
                _ = try await ws.next { $0.type == "metrics" }
                ws.send(["action": "subscribe", "channel": "logs", "pod": pod.name, "namespace": pod.ns, "container": pod.container])
                _ = try await ws.next { $0.type == "log" }
                let requests = h.simulator.requests
                #expect(!requests.isEmpty)
                #expect(requests.allSatisfy { $0.method == "GET" })
                #expect(!requests.contains { $0.path.contains("/secrets") })
            }
        }
    }
}
