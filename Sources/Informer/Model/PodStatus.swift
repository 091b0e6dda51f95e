import Foundation

/// `status` of a pod, as written by the kubelet (and the scheduler for `PodScheduled`).
public struct PodStatus: Decodable, Sendable, Hashable {
    public var phase: String?
    public var reason: String?
    public var message: String?
    public var conditions: [PodCondition]?
    public var hostIP: String?
    public var hostIPs: [IPEntry]?
    public var podIP: String?
    public var podIPs: [IPEntry]?
    public var nominatedNodeName: String?
    public var startTime: Date?
    public var qosClass: String?
    public var containerStatuses: [ContainerStatus]?
    public var initContainerStatuses: [ContainerStatus]?
    public var ephemeralContainerStatuses: [ContainerStatus]?

    public init(phase: String? = nil, reason: String? = nil, conditions: [PodCondition]? = nil,
                containerStatuses: [ContainerStatus]? = nil, initContainerStatuses: [ContainerStatus]? = nil) {
        self.phase = phase
        self.reason = reason
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
    }

    /// The condition of the given type (`Ready`, `Initialized`, `PodScheduled`, …), if any.
    public func condition(_ type: String) -> PodCondition? {
        conditions?.first { $0.type == type }
    }
}

/// `status.podIPs[]` / `status.hostIPs[]`.
public struct IPEntry: Decodable, Sendable, Hashable {
    public var ip: String?
}

/// `status.conditions[]`. `lastTransitionTime` can be null (v1.28 writes it so for SchedulingGated).
public struct PodCondition: Decodable, Sendable, Hashable {
    public var type: String
    /// `"True"`, `"False"` or `"Unknown"`.
    public var status: String?
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Date?
    public var lastProbeTime: Date?

    public init(type: String, status: String?, reason: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
    }
}

/// One entry of `containerStatuses`/`initContainerStatuses`/`ephemeralContainerStatuses`.
/// Join it to the spec by `name`: status lists need not line up with spec lists.
public struct ContainerStatus: Decodable, Sendable, Hashable {
    public var name: String
    public var ready: Bool?
    public var started: Bool?
    public var restartCount: Int?
    public var image: String?
    public var imageID: String?
    public var containerID: String?
    public var state: ContainerState?
    public var lastState: ContainerState?

    public init(name: String, ready: Bool? = nil, started: Bool? = nil, restartCount: Int? = nil,
                state: ContainerState? = nil, lastState: ContainerState? = nil) {
        self.name = name
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.state = state
        self.lastState = lastState
    }
}

/// At most one of `waiting`, `running`, `terminated`; all may be absent briefly (`{}`).
public struct ContainerState: Decodable, Sendable, Hashable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

public struct ContainerStateWaiting: Decodable, Sendable, Hashable {
    public var reason: String?
    public var message: String?
    public init(reason: String?, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

public struct ContainerStateRunning: Decodable, Sendable, Hashable {
    public var startedAt: Date?
    public init(startedAt: Date? = nil) { self.startedAt = startedAt }
}

public struct ContainerStateTerminated: Decodable, Sendable, Hashable {
    public var exitCode: Int
    public var signal: Int?
    public var reason: String?
    public var message: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var containerID: String?

    public init(exitCode: Int, signal: Int? = nil, reason: String? = nil, finishedAt: Date? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.finishedAt = finishedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
        signal = try c.decodeIfPresent(Int.self, forKey: .signal)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        startedAt = try c.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try c.decodeIfPresent(Date.self, forKey: .finishedAt)
        containerID = try c.decodeIfPresent(String.self, forKey: .containerID)
    }

    enum CodingKeys: String, CodingKey { case exitCode, signal, reason, message, startedAt, finishedAt, containerID }
}
