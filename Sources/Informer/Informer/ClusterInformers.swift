import Logging

/// The two informers kubeluma runs for one cluster: pods, and events from events.k8s.io/v1
/// when the server serves it (core/v1 otherwise). Both fall back to the context's namespace
/// if the cluster-wide view is forbidden.
public struct ClusterInformers: Sendable {
    public let pods: Informer
    public let events: Informer

    /// Builds both without a request: the events informer waits for the pod table's first sync
    /// (on two cores, a 50,000-event list decoded alongside the pod list doubled the time to
    /// the first complete table), then asks which events API the server has. Nothing here
    /// touches the network, so a warm start shows the cached table at once.
    /// - Parameter namespace: nil for all namespaces (`--namespace` narrows it).
    public init(client: KubeClient, store: any InformerStore, namespace: String?,
                options: Informer.Options = Informer.Options(), logger: Logger = Logger(label: "kubeluma.informer")) {
        var options = options
        if namespace == nil && options.fallbackNamespace == nil { options.fallbackNamespace = client.connection.namespace }
        let pods = Informer(collection: .pods, namespace: namespace, client: client, store: store, options: options, logger: logger)
        var eventOptions = options
        eventOptions.startAfter = { await pods.waitUntilSynced(timeout: .seconds(10)) }
        eventOptions.chooseCollection = { client in
            let api: APICollection = await client.servesEventsV1() ? .eventsV1 : .coreEvents
            logger.info("events API chosen", metadata: ["events.api": "\(api.rawValue)"])
            return api
        }
        self.pods = pods
        self.events = Informer(collection: .coreEvents, namespace: namespace, client: client, store: store,
                               options: eventOptions, logger: logger)
    }

    /// Both, pods first.
    public var all: [Informer] { [pods, events] }

    /// Health of both, pods first.
    public var health: [InformerHealth] { all.map(\.health) }

    /// Runs both until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await pods.run() }
            group.addTask { await events.run() }
        }
    }
}
