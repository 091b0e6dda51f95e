/// The seam between the reflector (which talks to the API server) and the cache that keeps
/// what it learns. `Informer` declares it; `Store` implements it; tests may implement it too.
///
/// Contract:
/// - `replace` is atomic: readers see the old set or the new set, never a mix or an empty
///   frame. Keys present before and absent from `objects` were deleted while the reflector was
///   away; the store keeps their last known state as tombstones.
/// - `apply` receives a batch of watch changes in server order, to be committed in one
///   transaction together with the new resume point.
/// - `resourceVersion` is opaque text: stored and handed back, never compared or computed.
/// - `resumePoint` returns what the last successful `replace`/`apply` stored, so a restarted
///   reflector can watch from it (warm start) before deciding whether to relist.
public protocol InformerStore: Sendable {
    func resumePoint(for informer: InformerID) async throws -> String?
    func replace(_ informer: InformerID, objects: [KubeObject], resourceVersion: String) async throws
    func apply(_ informer: InformerID, changes: [WatchChange], resourceVersion: String) async throws
}

/// Which collection an informer keeps: the resource and the scope it watches.
public struct InformerID: Hashable, Sendable, CustomStringConvertible {
    public enum Resource: String, Sendable { case pods, events }
    public var resource: Resource
    /// nil = all namespaces.
    public var namespace: String?
    public init(resource: Resource, namespace: String?) {
        self.resource = resource
        self.namespace = namespace
    }
    public var description: String { "\(resource.rawValue)@\(namespace ?? "*")" }
}

/// One change from a watch stream (BOOKMARKs and ERRORs never reach the store).
public struct WatchChange: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var kind: Kind
    public var object: KubeObject
    public init(kind: Kind, object: KubeObject) {
        self.kind = kind
        self.object = object
    }
}

/// A decoded object plus the JSON it came from (with managedFields and the
/// last-applied-configuration annotation already stripped), so the store can keep the bytes
/// the focus view needs without encoding them again.
public enum KubeObject: Sendable {
    case pod(Pod, json: [UInt8])
    case event(Event, json: [UInt8])
}
