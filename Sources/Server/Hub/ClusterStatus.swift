import Foundation
import Informer

/// What the server knows about the informers feeding the cache: synced or catching up, the
/// scope actually watched (after an RBAC fallback), the last error.
public struct ClusterStatus: Sendable {
    public var informers: [InformerHealth]
    /// The namespace watched when not all (nil = all namespaces).
    public var namespace: String?

    public init(informers: [InformerHealth], namespace: String?) {
        self.informers = informers
        self.namespace = namespace
    }

    var podsHealth: InformerHealth? { informers.first { $0.requested.resource == .pods } }
    var synced: Bool { podsHealth?.synced ?? false }
    /// What the table shows may be behind the cluster: not yet complete, or the pod watch is
    /// failing (API server unreachable, refusing, erroring) and being retried.
    var stale: Bool { !synced || podsHealth?.lastError != nil }
    var reducedScope: Bool { informers.contains { $0.reducedScope } }
    var watchedNamespace: String? { podsHealth?.informer.namespace ?? namespace }
    var message: String? {
        if reducedScope, let ns = watchedNamespace {
            return "Listing pods in all namespaces is forbidden for this user; showing namespace \(ns) only."
        }
        return podsHealth?.lastError
    }
}
