import Logging

/// The two informers kubeluma runs for one cluster: pods, and events from events.k8s.io/v1
/// when the server serves it (core/v1 otherwise). Both fall back to the context's namespace
/// if the cluster-wide view is forbidden.
public struct ClusterInformers: Sendable {
    public let pods: Informer
    public let events: Informer

    /// Discovers the events API, then builds both informers.
    /// - Parameter namespace: nil for all namespaces (`--namespace` narrows it).
    public static func discover(client: KubeClient, store: any InformerStore, namespace: String?,
                                options: Informer.Options = Informer.Options(),
                                logger: Logger = Logger(label: "kubeluma.informer")) async -> ClusterInformers {
        var options = options
        if namespace == nil && options.fallbackNamespace == nil { options.fallbackNamespace = client.connection.namespace }
        let eventsAPI: APICollection = await client.servesEventsV1() ? .eventsV1 : .coreEvents
        logger.info("events API chosen", metadata: ["events.api": "\(eventsAPI.rawValue)"])
        return ClusterInformers(
            pods: Informer(collection: .pods, namespace: namespace, client: client, store: store, options: options, logger: logger),
            events: Informer(collection: eventsAPI, namespace: namespace, client: client, store: store, options: options, logger: logger))
    }

    /// Health of both, pods first.
    public var health: [InformerHealth] { [pods.health, events.health] }

    /// Runs both until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await pods.run() }
            group.addTask { await events.run() }
        }
    }
}
