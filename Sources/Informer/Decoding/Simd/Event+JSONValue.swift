import Foundation

// Hand-written decoding of events and Statuses from a simdjson document; the same keys and
// precedence rules as `Event.init(from:)` and `KubeStatus`'s `Decodable` conformance.

extension Event {
    init(json v: JSONValue) throws(KubeDecodingError) {
        /// The first key's value unless it is empty, then the second's (core vs events.k8s.io names).
        func string(_ a: StaticString, _ b: StaticString) throws(KubeDecodingError) -> String? {
            let first = try v.string(a)
            if let first, !first.isEmpty { return first }
            return try v.string(b) ?? first
        }
        /// The first key's value when present, else the second's.
        func either<T>(_ first: T?, _ second: () throws(KubeDecodingError) -> T?) throws(KubeDecodingError) -> T? {
            if let first { return first }
            return try second()
        }
        self.init(metadata: try v.object("metadata", ObjectMeta.init(json:)) ?? ObjectMeta(),
                  regarding: try either(try v.object("involvedObject", ObjectReference.init(json:))) { () throws(KubeDecodingError) in
                      try v.object("regarding", ObjectReference.init(json:))
                  },
                  reason: try v.string("reason"), message: try string("message", "note"), type: try v.string("type"))
        kind = try v.string("kind")
        apiVersion = try v.string("apiVersion")
        related = try v.object("related", ObjectReference.init(json:))
        count = try either(try v.int("count")) { () throws(KubeDecodingError) in try v.int("deprecatedCount") }
        firstTimestamp = try either(try v.date("firstTimestamp")) { () throws(KubeDecodingError) in try v.date("deprecatedFirstTimestamp") }
        lastTimestamp = try either(try v.date("lastTimestamp")) { () throws(KubeDecodingError) in try v.date("deprecatedLastTimestamp") }
        eventTime = try v.date("eventTime")
        series = try v.object("series") { s throws(KubeDecodingError) in
            EventSeries(count: try s.int("count"), lastObservedTime: try s.date("lastObservedTime"))
        }
        let core = try v.object("source", EventSource.init(json:))
        let deprecated = try v.object("deprecatedSource", EventSource.init(json:))
        source = (core?.isEmpty == false) ? core : (deprecated ?? core)
        reportingController = try string("reportingComponent", "reportingController")
        reportingInstance = try v.string("reportingInstance")
        action = try v.string("action")
    }
}

extension ObjectReference {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(kind: try v.string("kind"), namespace: try v.string("namespace"), name: try v.string("name"),
                  uid: try v.string("uid"), apiVersion: try v.string("apiVersion"),
                  resourceVersion: try v.string("resourceVersion"), fieldPath: try v.string("fieldPath"))
    }
}

extension EventSource {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(component: try v.string("component"), host: try v.string("host"))
    }
}

extension KubeStatus {
    init(json v: JSONValue) throws(KubeDecodingError) {
        self.init(code: try v.int("code") ?? 0, reason: try v.string("reason"), message: try v.string("message") ?? "")
        kind = try v.string("kind")
        status = try v.string("status")
        message = try v.string("message")
        code = try v.int("code")
        details = try v.object("details") { d throws(KubeDecodingError) in
            Details(name: try d.string("name"), kind: try d.string("kind"),
                    causes: try d.array("causes") { c throws(KubeDecodingError) in
                        Cause(type: try c.string("reason"), message: try c.string("message"), field: try c.string("field"))
                    },
                    retryAfterSeconds: try d.int("retryAfterSeconds"))
        }
        metadata = try v.object("metadata") { m throws(KubeDecodingError) in
            ListMeta(resourceVersion: try m.string("resourceVersion"), continue: try m.string("continue"),
                     remainingItemCount: try m.int64("remainingItemCount"))
        }
    }
}
