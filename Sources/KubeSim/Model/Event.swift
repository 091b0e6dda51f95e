/// One stored event, served in two views: core/v1 `Event` and events.k8s.io/v1 `Event`. Both
/// APIs read the same stored objects (KUBERNETES-API.md §3), so the simulator keeps one record
/// and encodes it twice, with the JSON keys and explicit `null`s each API uses.
struct Event: Sendable {
    struct Reference: Codable, Sendable {
        var kind: String
        var namespace: String?
        var name: String
        var uid: String?
        var apiVersion: String
        var resourceVersion: String?
        var fieldPath: String?
    }
    struct Source: Codable, Sendable { var component: String?; var host: String? }
    struct Series: Codable, Sendable { var count: Int; var lastObservedTime: String }

    var metadata: ObjectMeta
    var regarding: Reference
    var related: Reference?
    var reason: String
    var message: String
    var type: String
    // Old style (written through core/v1, as kubelet does).
    var source: Source?
    var firstTimestamp: String?
    var lastTimestamp: String?
    var count: Int?
    // New style (written through events.k8s.io/v1).
    var eventTime: String?
    var series: Series?
    var action: String?
    var reportingController: String
    var reportingInstance: String

    var key: ObjectKey { ObjectKey(namespace: metadata.namespace ?? "", name: metadata.name) }
    /// The object this event is about, as a key (cluster-scoped objects have no namespace).
    var regardingKey: ObjectKey { ObjectKey(namespace: regarding.namespace ?? "", name: regarding.name) }

    var coreView: CoreView { CoreView(event: self) }
    var eventsView: EventsView { EventsView(event: self) }

    /// core/v1 `Event` (without kind/apiVersion: `StoredObject` adds them where they belong).
    struct CoreView: Encodable {
        let event: Event
        enum Keys: String, CodingKey {
            case kind, apiVersion, metadata, involvedObject, reason, message, source, firstTimestamp,
                 lastTimestamp, count, type, eventTime, series, action, related, reportingComponent,
                 reportingInstance
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(event.metadata, forKey: .metadata)
            try c.encode(event.regarding, forKey: .involvedObject)
            try c.encode(event.reason, forKey: .reason)
            try c.encode(event.message, forKey: .message)
            try c.encode(event.source ?? Source(), forKey: .source)
            try c.encode(event.firstTimestamp, forKey: .firstTimestamp)   // explicit null
            try c.encode(event.lastTimestamp, forKey: .lastTimestamp)     // explicit null
            try c.encodeIfPresent(event.count, forKey: .count)
            try c.encode(event.type, forKey: .type)
            try c.encode(event.eventTime, forKey: .eventTime)             // explicit null
            try c.encodeIfPresent(event.series, forKey: .series)
            try c.encodeIfPresent(event.action, forKey: .action)
            try c.encodeIfPresent(event.related, forKey: .related)
            try c.encode(event.reportingController, forKey: .reportingComponent)
            try c.encode(event.reportingInstance, forKey: .reportingInstance)
        }
    }

    /// events.k8s.io/v1 `Event` (likewise without kind/apiVersion).
    struct EventsView: Encodable {
        let event: Event
        enum Keys: String, CodingKey {
            case kind, apiVersion, metadata, eventTime, series, reportingController, reportingInstance,
                 action, reason, regarding, related, note, type, deprecatedSource,
                 deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(event.metadata, forKey: .metadata)
            try c.encode(event.eventTime, forKey: .eventTime)             // explicit null
            try c.encodeIfPresent(event.series, forKey: .series)
            try c.encode(event.reportingController, forKey: .reportingController)
            try c.encode(event.reportingInstance, forKey: .reportingInstance)
            try c.encodeIfPresent(event.action, forKey: .action)
            try c.encode(event.reason, forKey: .reason)
            try c.encode(event.regarding, forKey: .regarding)
            try c.encodeIfPresent(event.related, forKey: .related)
            try c.encode(event.message, forKey: .note)
            try c.encode(event.type, forKey: .type)
            try c.encode(event.source ?? Source(), forKey: .deprecatedSource)
            try c.encode(event.firstTimestamp, forKey: .deprecatedFirstTimestamp)
            try c.encode(event.lastTimestamp, forKey: .deprecatedLastTimestamp)
            try c.encodeIfPresent(event.count, forKey: .deprecatedCount)
        }
    }
}

/// The Status object every error is reported with (KUBERNETES-API.md §8.1).
struct Status: Encodable, Sendable, Error {
    struct Details: Encodable, Sendable {
        var name: String?
        var group: String?
        var kind: String?
        var causes: [Cause]?
        var retryAfterSeconds: Int?
    }
    struct Cause: Encodable, Sendable { var reason: String?; var message: String; var field: String? }
    struct Meta: Encodable, Sendable { var `continue`: String? }

    var kind = "Status"
    var apiVersion = "v1"
    var metadata = Meta()
    var status = "Failure"
    var message: String
    var reason: String?
    var details: Details?
    var code: Int

    static func notFound(_ resource: String, _ name: String) -> Status {
        Status(message: "\(resource) \"\(name)\" not found", reason: "NotFound",
               details: Details(name: name, kind: resource), code: 404)
    }
    static func badRequest(_ message: String) -> Status {
        Status(message: message, reason: "BadRequest", code: 400)
    }
    static func expired(_ message: String, continueToken: String? = nil) -> Status {
        Status(metadata: Meta(continue: continueToken), message: message, reason: "Expired", code: 410)
    }
    static func invalidListOptions(_ detail: String, field: String) -> Status {
        Status(message: "ListOptions.meta.k8s.io \"\" is invalid: \(field): \(detail)", reason: "Invalid",
               details: Details(group: "meta.k8s.io", kind: "ListOptions",
                                causes: [Cause(reason: "FieldValueForbidden", message: detail, field: field)]),
               code: 422)
    }
    static let unauthorized = Status(message: "Unauthorized", reason: "Unauthorized", code: 401)
    static func forbidden(user: String, verb: String, resource: String, group: String, namespace: String?) -> Status {
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        return Status(message: "\(resource) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group \"\(group)\" \(scope)",
                      reason: "Forbidden", details: Details(kind: resource), code: 403)
    }
}
