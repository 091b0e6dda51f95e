import Foundation

enum Resource: String, Sendable {
    case pods, events
}

/// A pod or event as stored, with its wire encodings computed once per change: a list or a
/// watch then only copies bytes, which keeps the simulator far from being a benchmark's
/// bottleneck.
struct StoredObject: Sendable {
    /// Indirect, so copying a stored object (sorting, paging) retains one box rather than
    /// every string inside the pod.
    indirect enum Body: Sendable {
        case pod(Pod)
        case event(Event)
    }
    var body: Body
    var resourceVersion: Int
    /// core/v1 JSON (pods and events) without `kind`/`apiVersion`, as list items are served.
    var json: [UInt8]
    /// events.k8s.io/v1 JSON (events only), likewise bare.
    var eventsJSON: [UInt8]
    /// When the object was last written: an event expires `eventTTL` after this.
    var lastWrite: Date

    /// Stored, not computed: sorting a 10,000-pod snapshot compares keys ~300,000 times, and
    /// reading them out of the enum copied the whole object each time.
    let key: ObjectKey
    var uid: String {
        switch body {
        case .pod(let p): return p.metadata.uid
        case .event(let e): return e.metadata.uid
        }
    }
    var labels: [String: String] {
        switch body {
        case .pod(let p): return p.metadata.labels ?? [:]
        case .event(let e): return e.metadata.labels ?? [:]
        }
    }

    /// List items carry no `kind`/`apiVersion` (KUBERNETES-API.md §0); single objects and
    /// watch events do.
    func json(eventsAPI: Bool, typeMeta: Bool = true) -> [UInt8] {
        let bare = eventsAPI ? eventsJSON : json
        guard typeMeta else { return bare }
        let prefix: String
        switch body {
        case .pod: prefix = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
        case .event: prefix = eventsAPI ? "{\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\","
                                         : "{\"kind\":\"Event\",\"apiVersion\":\"v1\","
        }
        return Array(prefix.utf8) + bare.dropFirst()
    }

    /// The object as written at `resourceVersion`: the version stamped into its metadata.
    init(_ body: Body, resourceVersion rv: Int, at date: Date) {
        switch body {
        case .pod(var pod):
            pod.metadata.resourceVersion = String(rv)
            self.init(pod: pod, at: date)
        case .event(var event):
            event.metadata.resourceVersion = String(rv)
            self.init(event: event, at: date)
        }
    }

    init(pod: Pod, at date: Date) {
        body = .pod(pod)
        key = pod.key
        resourceVersion = Int(pod.metadata.resourceVersion) ?? 0
        var bare = pod
        bare.kind = nil
        bare.apiVersion = nil
        json = WireEncoding.encode(bare)
        eventsJSON = []
        lastWrite = date
    }

    init(event: Event, at date: Date) {
        body = .event(event)
        key = event.key
        resourceVersion = Int(event.metadata.resourceVersion) ?? 0
        json = WireEncoding.encode(event.coreView)
        eventsJSON = WireEncoding.encode(event.eventsView)
        // The TTL runs from the event's last occurrence, as if written then.
        let lastSeen = event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime
        lastWrite = lastSeen.flatMap(WireTime.parse).map { min($0, date) } ?? date
    }
}

enum WireEncoding {
    /// Go's encoder does not escape `/`; JSONEncoder does unless told not to.
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding our own value types cannot fail; a failure is a programming error.
        return try! Array(encoder.encode(value))
    }
}

/// One entry of the change history that watches replay from.
struct Change: Sendable {
    enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    var kind: Kind
    var resource: Resource
    var resourceVersion: Int
    var object: StoredObject
    /// The object before this change, so a selector watch can tell "left the selector".
    var previous: StoredObject?
}
