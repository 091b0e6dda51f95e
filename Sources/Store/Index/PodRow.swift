import Foundation

/// A live pod's identity in the table: namespace and name. Sorted by namespace, then name, which
/// is the order every pod list the store returns is in.
public struct PodKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public static func < (lhs: PodKey, rhs: PodKey) -> Bool {
        lhs.namespace != rhs.namespace ? lhs.namespace < rhs.namespace : lhs.name < rhs.name
    }

    public var description: String { "\(namespace)/\(name)" }
}

/// What the pod table shows for one pod, kept in memory for every live pod and stored as the
/// summary columns of the `pods` table, so a pattern change never decodes JSON or touches disk.
public struct PodRow: Sendable, Hashable {
    public var uid: String
    public var namespace: String
    public var name: String
    /// `status.phase`, "" when the server has not set it yet.
    public var phase: String
    /// The kubectl STATUS word (`Running`, `CrashLoopBackOff`, `Init:0/2`, `Terminating`, …).
    public var status: String
    public var ready: Int
    public var total: Int
    public var restarts: Int
    /// The newest `lastState.terminated.finishedAt` counted in `restarts`.
    public var lastRestart: Date?
    public var node: String?
    public var podIP: String?
    public var hostIP: String?
    public var createdAt: Date?
    public var resourceVersion: String
    /// The store sequence number of the change that produced this row.
    public var seq: UInt64

    public var key: PodKey { PodKey(namespace: namespace, name: name) }

    public init(uid: String, namespace: String, name: String, phase: String, status: String,
                ready: Int, total: Int, restarts: Int, lastRestart: Date?, node: String?,
                podIP: String?, hostIP: String?, createdAt: Date?, resourceVersion: String, seq: UInt64) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.phase = phase
        self.status = status
        self.ready = ready
        self.total = total
        self.restarts = restarts
        self.lastRestart = lastRestart
        self.node = node
        self.podIP = podIP
        self.hostIP = hostIP
        self.createdAt = createdAt
        self.resourceVersion = resourceVersion
        self.seq = seq
    }
}
