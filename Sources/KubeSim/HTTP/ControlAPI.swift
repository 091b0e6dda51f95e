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
/// - `POST /_sim/pods/{ns}/{name}/expire-events` — the events about the pod reach their TTL now
/// - `POST /_sim/churn?steps=N` — N random churn actions
/// - `POST /_sim/faults` with a `FaultPlan` JSON body — replaces the fault plan
/// - `POST /_sim/drop-watches`, `POST /_sim/compact`, `POST /_sim/expire-continue`
/// - `POST /_sim/outage?seconds=N` — stop accepting connections and cut the open ones for N
///   seconds (default 5, at most 600), then listen again on the same port
/// - `POST /_sim/restart` — an apiserver restart with the cluster's state kept (connections
///   cut, the watch history starts again)
///
/// The last two answer first and act once the answer is written, since they close the very
/// connection the request came on.
struct ControlAPI {
    let simulator: Simulator
    var cluster: Cluster { simulator.cluster }
    var scenario: Scenario { simulator.scenario }
    var requests: RequestLog { simulator.requestLog }
    var faults: Faults { simulator.faults }

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
            case "expire-events":
                // What the event TTL does an hour later, now: the cluster forgets them.
                cluster.commit(cluster.events(about: key).map { .deleteEvent($0.key) })
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
        case (.post, ["outage"]):
            let seconds = request.uri.queryParameters.get("seconds").flatMap(Double.init) ?? 5
            guard seconds > 0, seconds <= 600 else { return Responses.status(.badRequest("seconds must be in (0, 600]")) }
            return ok { [simulator] in
                await simulator.stopAccepting()
                try? await Task.sleep(for: .seconds(seconds))
                await simulator.startAccepting()
            }
        case (.post, ["restart"]):
            return ok { [simulator] in await simulator.restart() }
        default:
            return Responses.pageNotFound()
        }
    }

    private func ok() -> Response { Responses.json(okBody) }
    private var okBody: String { "{\"resourceVersion\":\"\(cluster.currentResourceVersion)\"}\n" }

    /// `ok()`, then `action` once the answer is written: in a task of its own, because the
    /// action closes this request's connection and so cancels its handler.
    private func ok(then action: @escaping @Sendable () async -> Void) -> Response {
        var response = ok()
        let bytes = ByteBuffer(string: okBody)
        response.body = ResponseBody(contentLength: bytes.readableBytes) { writer in
            try await writer.write(bytes)
            try await writer.finish(nil)
            Task { await action() }
        }
        return response
    }
}
