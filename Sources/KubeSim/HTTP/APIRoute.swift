/// A request path, parsed into what the Kubernetes API routes on.
enum APIRoute: Equatable {
    case version, healthz
    case api, apiV1, apis, eventsGroup, eventsV1, metricsV1beta1
    case namespaces
    /// pods, events (core or events.k8s.io), pod metrics; namespace nil = all namespaces.
    case collection(APIResource, namespace: String?)
    case object(APIResource, namespace: String, name: String)
    case log(namespace: String, pod: String)

    enum APIResource: Equatable {
        case pods, coreEvents, eventsAPIEvents, podMetrics

        var resource: Resource { self == .pods || self == .podMetrics ? .pods : .events }
        var name: String { self == .pods ? "pods" : self == .podMetrics ? "pods" : "events" }
        var group: String {
            switch self {
            case .pods, .coreEvents: return ""
            case .eventsAPIEvents: return "events.k8s.io"
            case .podMetrics: return "metrics.k8s.io"
            }
        }
        var supportedFields: Set<String> {
            switch self {
            case .pods, .podMetrics: return SelectableFields.pods
            case .coreEvents: return SelectableFields.coreEvents
            case .eventsAPIEvents: return SelectableFields.eventsAPI
            }
        }
    }

    init?(path: String) {
        let p = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch p.count {
        case 1 where p[0] == "version": self = .version
        case 1 where ["healthz", "readyz", "livez"].contains(p[0]): self = .healthz
        case 1 where p[0] == "api": self = .api
        case 1 where p[0] == "apis": self = .apis
        default:
            if p.starts(with: ["api", "v1"]) {
                guard let r = Self.resourcePath(Array(p.dropFirst(2)), core: true) else { return nil }
                self = r
            } else if p.starts(with: ["apis", "events.k8s.io"]) {
                if p.count == 2 { self = .eventsGroup; return }
                guard p[2] == "v1" else { return nil }
                if p.count == 3 { self = .eventsV1; return }
                // The same paths as core/v1 events, served in the events.k8s.io view.
                guard let r = Self.resourcePath(Array(p.dropFirst(3)), core: false) else { return nil }
                self = r.asEventsAPI
            } else if p.starts(with: ["apis", "metrics.k8s.io", "v1beta1"]) {
                let rest = Array(p.dropFirst(3))
                if rest.isEmpty { self = .metricsV1beta1; return }
                switch rest.count {
                case 1 where rest[0] == "pods": self = .collection(.podMetrics, namespace: nil)
                case 3 where rest[0] == "namespaces" && rest[2] == "pods": self = .collection(.podMetrics, namespace: rest[1])
                case 4 where rest[0] == "namespaces" && rest[2] == "pods": self = .object(.podMetrics, namespace: rest[1], name: rest[3])
                default: return nil
                }
            } else {
                return nil
            }
        }
    }

    /// `pods`, `events`, `namespaces/{ns}/pods[/{name}[/log]]`, `namespaces/{ns}/events[/{name}]`.
    private static func resourcePath(_ rest: [String], core: Bool) -> APIRoute? {
        func resource(_ name: String) -> APIResource? {
            switch name {
            case "pods" where core: return .pods
            case "events": return .coreEvents
            default: return nil
            }
        }
        if rest.isEmpty { return core ? .apiV1 : nil }
        if rest.count == 1 {
            if rest[0] == "namespaces" && core { return .namespaces }
            return resource(rest[0]).map { .collection($0, namespace: nil) }
        }
        guard rest[0] == "namespaces" else { return nil }
        switch rest.count {
        case 3: return resource(rest[2]).map { .collection($0, namespace: rest[1]) }
        case 4: return resource(rest[2]).map { .object($0, namespace: rest[1], name: rest[3]) }
        case 5 where core && rest[2] == "pods" && rest[4] == "log": return .log(namespace: rest[1], pod: rest[3])
        default: return nil
        }
    }

    private var asEventsAPI: APIRoute {
        switch self {
        case .collection(.coreEvents, let ns): return .collection(.eventsAPIEvents, namespace: ns)
        case .object(.coreEvents, let ns, let name): return .object(.eventsAPIEvents, namespace: ns, name: name)
        default: return self
        }
    }

    /// The namespace the request reads, and whether it reads across all namespaces.
    var scope: (resource: APIResource, namespace: String?)? {
        switch self {
        case .collection(let r, let ns): return (r, ns)
        case .object(let r, let ns, _): return (r, ns)
        case .log(let ns, _): return (.pods, ns)
        default: return nil
        }
    }
}
