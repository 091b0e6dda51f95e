import Foundation
import Hummingbird
import NIOCore

/// Encodes watch frames as kube-apiserver does: one JSON object per line.
enum WatchEncoder {
    static func frame(type: String, object: [UInt8]) -> [UInt8] {
        Array("{\"type\":\"\(type)\",\"object\":".utf8) + object + Array("}\n".utf8)
    }

    static func errorFrame(_ status: Status) -> [UInt8] {
        frame(type: "ERROR", object: WireEncoding.encode(status))
    }

    /// A BOOKMARK carries an almost empty object of the watched kind (KUBERNETES-API.md §2.3).
    static func bookmark(_ resource: APIRoute.APIResource, resourceVersion: Int, initialEventsEnd: Bool) -> [UInt8] {
        let annotations = initialEventsEnd ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : ""
        let meta = "\"metadata\":{\"resourceVersion\":\"\(resourceVersion)\",\"creationTimestamp\":null\(annotations)}"
        let object: String
        switch resource {
        case .pods, .podMetrics:
            object = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\(meta),\"spec\":{\"containers\":null},\"status\":{}}"
        case .coreEvents:
            object = "{\"kind\":\"Event\",\"apiVersion\":\"v1\",\(meta),\"involvedObject\":{},\"source\":{},\"firstTimestamp\":null,\"lastTimestamp\":null,\"eventTime\":null,\"reportingComponent\":\"\",\"reportingInstance\":\"\"}"
        case .eventsAPIEvents:
            object = "{\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\",\(meta),\"eventTime\":null,\"reportingController\":\"\",\"reportingInstance\":\"\",\"regarding\":{},\"deprecatedSource\":{},\"deprecatedFirstTimestamp\":null,\"deprecatedLastTimestamp\":null}"
        }
        return frame(type: "BOOKMARK", object: Array(object.utf8))
    }
}

/// Serves `?watch=true`: a chunked 200 whose body is a stream of watch events, flushed as they
/// happen, ending at `timeoutSeconds` (or a random 30–60 min, as the server defaults).
struct WatchHandler {
    let cluster: Cluster
    let faults: Faults
    let watchListEnabled: Bool

    /// - Parameter connectionClosed: completes when the client's connection closes. The watch
    ///   ends with it, as the apiserver's does; its handler would otherwise wait for frames.
    func watch(_ resource: APIRoute.APIResource, namespace: String?, options: QueryOptions, table: Bool,
               connectionClosed: EventLoopFuture<Void>? = nil) throws -> Response {
        if options.sendInitialEvents == true {
            guard watchListEnabled else {
                throw Status(message: "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
                             reason: "Invalid", details: .init(group: "meta.k8s.io", kind: "ListOptions",
                                                               causes: [.init(reason: "FieldValueForbidden", message: "Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled", field: "sendInitialEvents")]),
                             code: 422)
            }
            guard options.resourceVersionMatch == "NotOlderThan" else {
                throw Status.invalidListOptions("Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", field: "resourceVersionMatch")
            }
        } else if options.resourceVersionMatch != nil {
            throw Status.invalidListOptions("Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", field: "resourceVersionMatch")
        }
        if let rv = options.resourceVersion, !rv.isEmpty, Int(rv) == nil {
            throw Status.badRequest("resourceVersion: Invalid value: \"\(rv)\": must be a valid resource version")
        }
        let request = WatchRequest(
            resource: resource.resource, namespace: namespace,
            fieldSelector: try options.fieldSelector.map { try FieldSelector($0, supported: resource.supportedFields) },
            labelSelector: try options.labelSelector.map { try LabelSelector($0) },
            eventsAPI: resource == .eventsAPIEvents, resourceVersion: options.resourceVersion,
            sendInitialEvents: options.sendInitialEvents == true,
            allowBookmarks: options.allowWatchBookmarks,
            timeout: TimeInterval(options.timeoutSeconds ?? Int.random(in: 1800...3600)))
        let plan = faults.current
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, private"
        if plan.closeWatchesAtOnce {
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        if plan.silentWatches {
            // A connection that stays open and says nothing until the deadline.
            let timeout = request.timeout
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try? await Task.sleep(for: .seconds(timeout))
                try await writer.finish(nil)
            })
        }
        let (stream, continuation) = cluster.openWatch(request)
        connectionClosed?.whenComplete { _ in continuation.finish() }
        let now = cluster.now
        let eventsAPI = request.eventsAPI
        let includeObject = options.includeObject
        let faults = self.faults
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var firstTableFrame = true
            for await frame in stream {
                let bytes: [UInt8]
                switch frame {
                case .change(let kind, let object):
                    if let wait = faults.watchChangeDelay() { try? await Task.sleep(for: wait) }
                    if table {
                        let row = Tables.rowJSON(object, includeObject: includeObject, eventsAPI: eventsAPI, now: now())
                        let t = Tables.table(resource: resource.resource, rows: [row], resourceVersion: object.resourceVersion,
                                             continueToken: nil, remaining: nil, includeColumns: firstTableFrame)
                        firstTableFrame = false
                        bytes = WatchEncoder.frame(type: kind.rawValue, object: t)
                    } else {
                        bytes = WatchEncoder.frame(type: kind.rawValue, object: object.json(eventsAPI: eventsAPI))
                    }
                case .bookmark(let rv, let end):
                    bytes = WatchEncoder.bookmark(resource, resourceVersion: rv, initialEventsEnd: end)
                case .error(let status):
                    bytes = WatchEncoder.errorFrame(status)
                }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        })
    }
}
