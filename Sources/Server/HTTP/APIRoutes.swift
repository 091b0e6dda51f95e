import Foundation
import Hummingbird
import HummingbirdWebSocket
import Informer
import Store

/// The seed's `/api/*` endpoints and `/healthz`.
struct APIRoutes {
    let hub: Hub
    let status: @Sendable () -> ClusterStatus

    struct PatternBody: Decodable { var pattern: String? }

    func add(to router: Router<BasicWebSocketRequestContext>) {
        let hub = self.hub
        let status = self.status
        router.post("/api/set_pattern") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 16)
            guard let body = try? JSONDecoder().decode(PatternBody.self, from: Data(buffer: buffer)) else {
                return errorJSON("the body must be JSON like {\"pattern\": \"^api-\"}", status: .badRequest)
            }
            guard let pattern = body.pattern, !pattern.trimmingCharacters(in: .whitespaces).isEmpty else {
                return errorJSON("the pattern is empty: type part of a pod name, or a regex such as ^api-", status: .badRequest)
            }
            do {
                let matched = try hub.setPattern(pattern)
                var w = JSONWriter()
                w.raw("{"); w.key("pattern"); w.string(pattern); w.key("matched"); w.number(matched); w.raw("}")
                return jsonResponse(w.text, status: .ok)
            } catch {
                return errorJSON("\(error)", status: .badRequest)
            }
        }
        router.post("/api/reset_pattern") { _, _ -> Response in
            hub.resetPattern()
            return jsonResponse(#"{"pattern":null}"#, status: .ok)
        }
        router.get("/api/current_pattern") { _, _ -> Response in
            var w = JSONWriter()
            w.raw("{"); w.key("pattern"); w.string(hub.pattern.pattern); w.raw("}")
            return jsonResponse(w.text, status: .ok)
        }
        router.get("/healthz") { _, _ -> Response in
            let s = status()
            var w = JSONWriter()
            w.raw("{"); w.key("ok"); w.bool(s.informers.allSatisfy { $0.lastError == nil || $0.synced })
            w.key("synced"); w.bool(s.synced)
            w.key("informers"); w.raw("[")
            for (i, h) in s.informers.enumerated() {
                if i > 0 { w.comma() }
                w.raw("{")
                w.key("resource"); w.string(h.requested.resource.rawValue)
                w.key("scope"); w.string(h.informer.namespace ?? "*")
                w.key("reducedScope"); w.bool(h.reducedScope)
                w.key("synced"); w.bool(h.synced)
                w.key("phase"); w.string(h.phase)
                w.key("objects"); w.number(h.objectsListed)
                w.key("resourceVersion"); w.string(h.resourceVersion)
                w.key("watchEventsApplied"); w.number(h.watchEventsApplied)
                w.key("lastError"); w.string(h.lastError)
                w.raw("}")
            }
            w.raw("]")
            w.key("scope"); w.raw("{")
            w.key("namespace"); w.string(s.watchedNamespace)
            w.key("reduced"); w.bool(s.reducedScope)
            w.key("message"); w.string(s.message)
            w.raw("}}")
            return jsonResponse(w.text, status: .ok)
        }
    }
}

/// `{"error": "…"}`, the seed's shape for a refused request.
private func errorJSON(_ message: String, status: HTTPResponse.Status) -> Response {
    var w = JSONWriter()
    w.raw("{"); w.key("error"); w.string(message); w.raw("}")
    return jsonResponse(w.text, status: status)
}

func jsonResponse(_ text: String, status: HTTPResponse.Status) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    headers[.cacheControl] = "no-store"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}
