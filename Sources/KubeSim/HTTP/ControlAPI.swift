import Foundation
import Hummingbird
import NIOCore

/// `/_sim/…`: how tests written in other languages (pytest with kubectl or the Python client)
/// change the cluster and inject faults. Swift tests use `Simulator`'s methods directly.
///
/// - `GET /_sim/requests` — the request log (JSON array); `DELETE` clears it
/// - `POST /_sim/pods/{ns}/{name}/restart` — a container restart (crash loop step)
/// - `POST /_sim/pods/{ns}/{name}/replace` — rollout: delete and create under a new name
/// - `POST /_sim/pods/{ns}/{name}/recreate` — same name, new UID
/// - `POST /_sim/pods/{ns}/{name}/delete`
/// - `POST /_sim/churn?steps=N` — N random churn actions
/// - `POST /_sim/faults` with a `FaultPlan` JSON body — replaces the fault plan
/// - `POST /_sim/drop-watches`, `POST /_sim/compact`, `POST /_sim/expire-continue`
struct ControlAPI {
    let cluster: Cluster
    let scenario: Scenario
    let requests: RequestLog
    let faults: Faults

    func respond(to request: Request, path: String) async throws -> Response {
        let parts = path.split(separator: "/").map(String.init).dropFirst()  // drop "_sim"
        switch (request.method, Array(parts)) {
        case (.get, ["requests"]):
            return Responses.json(WireEncoding.encode(requests.all))
        case (.delete, ["requests"]):
            requests.clear()
            return ok()
        case (.post, let p) where p.count == 4 && p[0] == "pods":
            let key = ObjectKey(namespace: p[1], name: p[2])
            guard cluster.pod(key) != nil else { return Responses.status(.notFound("pods", p[2])) }
            switch p[3] {
            case "restart":
                guard scenario.restartContainer(key, reason: "OOMKilled", exitCode: 137) else {
                    return Responses.status(.badRequest("pod \(key) has no running container to restart"))
                }
            case "replace":
                guard let pod = scenario.replace(key) else { return Responses.status(.badRequest("pod \(key) has no generateName")) }
                return Responses.json(WireEncoding.encode(pod))
            case "recreate":
                guard let pod = scenario.recreate(key) else { return Responses.status(.notFound("pods", p[2])) }
                return Responses.json(WireEncoding.encode(pod))
            case "delete":
                cluster.commit([.deletePod(key)])
            default:
                return Responses.pageNotFound()
            }
            return ok()
        case (.post, ["churn"]):
            let steps = request.uri.queryParameters.get("steps").flatMap(Int.init) ?? 1
            for _ in 0..<max(0, min(steps, 1_000_000)) { scenario.step() }
            return ok()
        case (.post, ["faults"]):
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let plan = try? JSONDecoder().decode(FaultPlan.self, from: Data(buffer: body)) else {
                return Responses.status(.badRequest("body must be a FaultPlan JSON object"))
            }
            faults.set { $0 = plan }
            return ok()
        case (.post, ["drop-watches"]):
            cluster.dropAllWatches()
            return ok()
        case (.post, ["compact"]):
            cluster.compactHistory()
            return ok()
        case (.post, ["expire-continue"]):
            cluster.expireContinueTokens()
            return ok()
        default:
            return Responses.pageNotFound()
        }
    }

    private func ok() -> Response {
        Responses.json("{\"resourceVersion\":\"\(cluster.currentResourceVersion)\"}\n")
    }
}
