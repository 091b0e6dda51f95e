import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// Answers every request the way kube-apiserver would: authentication, authorisation (the
/// restricted mode), fault injection, then the API routes. Read-only: any other method gets
/// 405, and the request log shows it.
struct SimulatorResponder: HTTPResponder {
    typealias Context = ConnectionContext

    let simulator: Simulator
    var cluster: Cluster { simulator.cluster }
    var configuration: SimulatorConfiguration { simulator.configuration }
    var requests: RequestLog { simulator.requestLog }
    var faults: Faults { simulator.faults }
    let serverAddress: @Sendable () -> String

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let query = QueryOptions.parse(request.uri.query)
        let authorization = request.headers[.authorization]
        requests.record(RecordedRequest(
            method: request.method.rawValue, path: path,
            query: query.map { RecordedRequest.Query(name: $0.name, value: $0.value) },
            accept: request.headers[.accept], hadCredentials: authorization != nil))

        // With client certificates required, the TLS handshake has authenticated the client; a
        // token, if sent, must still be valid (as with kube-apiserver's union authenticator).
        let authenticated = authorization == "Bearer \(configuration.token)"
            || (authorization == nil && configuration.requireClientCertificate)
        guard authenticated else { return Responses.status(.unauthorized) }
        if path.hasPrefix("/_sim/") {
            return try await ControlAPI(simulator: simulator)
                .respond(to: request, path: path)
        }
        let plan = faults.current
        if plan.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(plan.latencyMilliseconds))
        }
        let options = QueryOptions(query)
        switch faults.decide(isWatch: options.watch) {
        case .proceed: break
        case .throttle(let seconds):
            return Responses.status(Status(message: "Too many requests, please try again later.", reason: "TooManyRequests",
                                           details: .init(retryAfterSeconds: seconds), code: 429), retryAfter: seconds)
        case .serverError:
            return Responses.status(Status(message: "Internal error occurred: injected fault", reason: "InternalError", code: 500))
        case .expireWatch:
            let status = Status(message: "too old resource version: \(options.resourceVersion ?? "0") (\(cluster.currentResourceVersion))",
                                reason: "Expired", code: 410)
            return Responses.json(WatchEncoder.errorFrame(status))
        }

        guard let route = APIRoute(path: path) else { return Responses.pageNotFound() }
        guard request.method == .get else {
            return Responses.status(Status(message: "the server does not allow this method on the requested resource",
                                           reason: "MethodNotAllowed", code: 405))
        }
        if let denied = authorize(route, watch: options.watch) { return Responses.status(denied) }

        do {
            return try await handle(route, options: options, request: request, channel: context.channel)
        } catch let status as Status {
            return Responses.status(status)
        }
    }

    private func authorize(_ route: APIRoute, watch: Bool) -> Status? {
        guard let allowed = configuration.restrictedNamespace, let scope = route.scope else { return nil }
        if scope.namespace == allowed { return nil }
        let verb: String
        switch route {
        case .object, .log: verb = "get"
        default: verb = watch ? "watch" : "list"
        }
        var resource = scope.resource.name
        if case .log = route { resource = "pods/log" }
        return Status.forbidden(user: configuration.userName, verb: verb, resource: resource,
                                group: scope.resource.group, namespace: scope.namespace)
    }

    private func handle(_ route: APIRoute, options: QueryOptions, request: Request, channel: any Channel) async throws -> Response {
        let wantsTable = request.headers[.accept]?.contains("as=Table") ?? false
        switch route {
        case .version: return Responses.json(Discovery.version)
        case .healthz: return Responses.plain("ok", status: .ok)
        case .api: return Responses.json(Discovery.api(serverAddress: serverAddress()))
        case .apiV1: return Responses.json(Discovery.apiV1)
        case .apis: return Responses.json(Discovery.apis(metrics: configuration.metricsEnabled))
        case .eventsGroup: return Responses.json(Discovery.eventsGroup)
        case .eventsV1: return Responses.json(Discovery.eventsV1)
        case .metricsV1beta1:
            return configuration.metricsEnabled ? Responses.json(Discovery.metricsV1beta1) : Responses.pageNotFound()
        case .namespaces:
            return Responses.json(namespaceList())
        case .collection(.podMetrics, let namespace):
            guard configuration.metricsEnabled else { return Responses.pageNotFound() }
            return try podMetricsList(namespace: namespace, options: options)
        case .object(.podMetrics, let namespace, let name):
            guard configuration.metricsEnabled else { return Responses.pageNotFound() }
            let key = ObjectKey(namespace: namespace, name: name)
            guard let pod = cluster.pod(key), let metrics = MetricsGenerator.metrics(for: pod, now: cluster.now()) else {
                return Responses.status(Status(message: "podmetrics.metrics.k8s.io \"\(namespace)/\(name)\" not found",
                                               reason: "NotFound", details: .init(name: "\(namespace)/\(name)", group: "metrics.k8s.io", kind: "pods"), code: 404))
            }
            return Responses.json(WireEncoding.encode(metrics))
        case .collection(let resource, let namespace):
            if options.watch {
                return try WatchHandler(cluster: cluster, faults: faults, watchListEnabled: configuration.watchListEnabled)
                    .watch(resource, namespace: namespace, options: options, table: wantsTable, connectionClosed: channel.closeFuture)
            }
            return try list(resource, namespace: namespace, options: options, table: wantsTable)
        case .object(let resource, let namespace, let name):
            let key = ObjectKey(namespace: namespace, name: name)
            guard let object = cluster.storedObject(resource.resource, key) else {
                throw Status.notFound(resource.name, name)
            }
            if wantsTable {
                let row = Tables.rowJSON(object, includeObject: options.includeObject, eventsAPI: resource == .eventsAPIEvents, now: cluster.now())
                return Responses.json(Tables.table(resource: resource.resource, rows: [row], resourceVersion: object.resourceVersion,
                                                   continueToken: nil, remaining: nil))
            }
            return Responses.json(object.json(eventsAPI: resource == .eventsAPIEvents) + [UInt8(ascii: "\n")])
        case .log(let namespace, let pod):
            return try LogHandler(cluster: cluster, linesPerSecond: configuration.logLinesPerSecond)
                .respond(key: ObjectKey(namespace: namespace, name: pod), options: options,
                         connectionOpen: { channel.isActive })
        }
    }

    private func list(_ resource: APIRoute.APIResource, namespace: String?, options: QueryOptions, table: Bool) throws -> Response {
        if options.sendInitialEvents != nil {
            throw Status.invalidListOptions("Forbidden: sendInitialEvents is forbidden for list", field: "sendInitialEvents")
        }
        let page = try cluster.list(ListRequest(
            resource: resource.resource, namespace: namespace,
            fieldSelector: try options.fieldSelector.map { try FieldSelector($0, supported: resource.supportedFields) },
            labelSelector: try options.labelSelector.map { try LabelSelector($0) },
            limit: options.limit, continueToken: options.continueToken,
            resourceVersion: options.resourceVersion, resourceVersionMatch: options.resourceVersionMatch))
        let eventsAPI = resource == .eventsAPIEvents
        if table {
            let now = cluster.now()
            let rows = page.items.map { Tables.rowJSON($0, includeObject: options.includeObject, eventsAPI: eventsAPI, now: now) }
            return Responses.json(Tables.table(resource: resource.resource, rows: rows, resourceVersion: page.resourceVersion,
                                               continueToken: page.continueToken, remaining: page.remainingItemCount))
        }
        switch resource {
        case .pods, .podMetrics: return Responses.list(kind: "PodList", apiVersion: "v1", page: page, eventsAPI: false)
        case .coreEvents: return Responses.list(kind: "EventList", apiVersion: "v1", page: page, eventsAPI: false)
        case .eventsAPIEvents: return Responses.list(kind: "EventList", apiVersion: "events.k8s.io/v1", page: page, eventsAPI: true)
        }
    }

    private func podMetricsList(namespace: String?, options: QueryOptions) throws -> Response {
        let selector = try options.labelSelector.map { try LabelSelector($0) }
        let now = cluster.now()
        let items = cluster.allPods()
            .filter { namespace == nil || $0.metadata.namespace == namespace }
            .filter { selector?.matches($0.metadata.labels ?? [:]) ?? true }
            .sorted { $0.key < $1.key }
            .compactMap { MetricsGenerator.metrics(for: $0, now: now) }
        struct MetricsList: Encodable {
            struct Meta: Encodable {}
            var kind = "PodMetricsList"
            var apiVersion = "metrics.k8s.io/v1beta1"
            var metadata = Meta()
            var items: [MetricsGenerator.PodMetrics]
        }
        return Responses.json(WireEncoding.encode(MetricsList(items: items)))
    }

    private func namespaceList() -> [UInt8] {
        let names = Set(cluster.allPods().compactMap(\.metadata.namespace)).sorted()
        let items = names.map {
            "{\"metadata\":{\"name\":\"\($0)\",\"uid\":\"\(stableHash($0))\",\"resourceVersion\":\"1\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"labels\":{\"kubernetes.io/metadata.name\":\"\($0)\"}},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}"
        }
        return Array("{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"\(cluster.currentResourceVersion)\"},\"items\":[\(items.joined(separator: ","))]}\n".utf8)
    }
}

/// The query parameters of list, watch and log requests.
struct QueryOptions {
    var watch = false
    var limit: Int?
    var continueToken: String?
    var resourceVersion: String?
    var resourceVersionMatch: String?
    var fieldSelector: String?
    var labelSelector: String?
    var timeoutSeconds: Int?
    var allowWatchBookmarks = false
    var sendInitialEvents: Bool?
    var includeObject = "Metadata"
    let raw: [String: String]

    init(_ query: [(name: String, value: String)]) {
        var raw: [String: String] = [:]
        for (k, v) in query where raw[k] == nil { raw[k] = v }
        self.raw = raw
        // The server reads any boolean value except "false"/"0" as true.
        func flag(_ name: String) -> Bool? { raw[name].map { $0 != "false" && $0 != "0" } }
        watch = flag("watch") ?? false
        limit = raw["limit"].flatMap(Int.init)
        continueToken = raw["continue"].flatMap { $0.isEmpty ? nil : $0 }
        resourceVersion = raw["resourceVersion"]
        resourceVersionMatch = raw["resourceVersionMatch"].flatMap { $0.isEmpty ? nil : $0 }
        fieldSelector = raw["fieldSelector"].flatMap { $0.isEmpty ? nil : $0 }
        labelSelector = raw["labelSelector"].flatMap { $0.isEmpty ? nil : $0 }
        timeoutSeconds = raw["timeoutSeconds"].flatMap(Int.init)
        allowWatchBookmarks = flag("allowWatchBookmarks") ?? false
        sendInitialEvents = flag("sendInitialEvents")
        includeObject = raw["includeObject"] ?? "Metadata"
    }

    /// Go's `url.ParseQuery`: `+` is a space, then percent-decoding.
    static func parse(_ query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

/// Hummingbird's basic context plus the connection, so a long response can tell that its
/// client has gone.
struct ConnectionContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
