import Foundation

/// One stored event, with kubectl's display rules applied.
public struct StoredEvent: Sendable, Hashable {
    public var uid: String
    public var namespace: String
    public var name: String
    public var involvedKind: String?
    public var involvedNamespace: String?
    public var involvedName: String?
    public var involvedUID: String?
    /// e.g. `spec.containers{nginx}`; kubectl prefixes the message with it.
    public var fieldPath: String?
    /// `Normal` or `Warning`.
    public var type: String?
    public var reason: String?
    public var message: String
    public var count: Int
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// "From": the source component or reporting controller.
    public var source: String?
    /// Set when the cluster expired (or deleted) the event; the row is kept as history.
    public var expiredAt: Date?
    public var seq: UInt64

    public var isExpired: Bool { expiredAt != nil }
}

/// One container run that ended.
public struct ContainerTermination: Sendable, Hashable {
    public var podUID: String
    public var container: String
    /// The container's restartCount when this was observed.
    public var restartCount: Int
    /// `OOMKilled`, `Error`, `Completed`, … (open set; nil when the runtime gave none).
    public var reason: String?
    public var exitCode: Int
    public var signal: Int?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var observedAt: Date
    /// Terminations before this one that happened while nobody watched (restartCount jumped):
    /// counted, but their details are lost.
    public var unobservedBefore: Int
}

/// A pod as stored: its summary row, its JSON, and whether and how it was deleted.
public struct StoredPod: Sendable, Hashable {
    public enum Deletion: String, Sendable {
        /// A watch DELETED event delivered the final state.
        case watch
        /// Absent from a relist, or replaced by a new pod of the same name: the state shown is
        /// the last one seen, not necessarily the final one.
        case inferred
    }

    public var row: PodRow
    /// The stripped object JSON as received.
    public var json: [UInt8]
    public var updatedAt: Date
    public var deletedAt: Date?
    public var deletion: Deletion?

    public var isTombstone: Bool { deletedAt != nil }
}
