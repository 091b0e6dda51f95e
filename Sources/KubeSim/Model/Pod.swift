/// The simulator's own Pod type. It shares no code with the client's model on purpose: both are
/// held against the real server's captures instead.
struct Pod: Codable, Sendable {
    var kind: String? = "Pod"
    var apiVersion: String? = "v1"
    var metadata: ObjectMeta
    var spec: PodSpec
    var status: PodStatus

    var key: ObjectKey { ObjectKey(namespace: metadata.namespace ?? "", name: metadata.name) }
}

struct PodSpec: Codable, Sendable {
    var volumes: [Volume]?
    var initContainers: [Container]?
    var containers: [Container]
    var restartPolicy: String
    var terminationGracePeriodSeconds: Int?
    var dnsPolicy: String?
    var serviceAccountName: String?
    var serviceAccount: String?
    var nodeName: String?
    var securityContext: EmptyObject?
    var schedulerName: String?
    var tolerations: [Toleration]?
    var priority: Int?
    var enableServiceLinks: Bool?
    var preemptionPolicy: String?
}

struct EmptyObject: Codable, Sendable {}

struct Volume: Codable, Sendable {
    struct ConfigMapSource: Codable, Sendable { var name: String; var defaultMode: Int }
    struct Projected: Codable, Sendable { var defaultMode: Int; var sources: [ProjectedSource] }
    struct ProjectedSource: Codable, Sendable {
        struct Token: Codable, Sendable { var expirationSeconds: Int; var path: String }
        var serviceAccountToken: Token?
    }
    var name: String
    var configMap: ConfigMapSource?
    var projected: Projected?
}

struct Toleration: Codable, Sendable {
    var key: String
    var `operator`: String
    var effect: String
    var tolerationSeconds: Int?
}

struct Container: Codable, Sendable {
    var name: String
    var image: String
    var command: [String]?
    var args: [String]?
    var ports: [ContainerPort]?
    var envFrom: [EnvFromSource]?
    var env: [EnvVar]?
    var resources: ResourceRequirements
    var volumeMounts: [VolumeMount]?
    var readinessProbe: Probe?
    var terminationMessagePath: String = "/dev/termination-log"
    var terminationMessagePolicy: String = "File"
    var imagePullPolicy: String = "IfNotPresent"
    /// "Always" on an init container makes it a sidecar.
    var restartPolicy: String?
}

struct ContainerPort: Codable, Sendable {
    var name: String?
    var containerPort: Int
    var `protocol`: String
}

struct VolumeMount: Codable, Sendable {
    var name: String
    var readOnly: Bool?
    var mountPath: String
}

struct Probe: Codable, Sendable {
    struct HTTPGet: Codable, Sendable { var path: String; var port: IntOrString; var scheme: String }
    var httpGet: HTTPGet
    var timeoutSeconds: Int
    var periodSeconds: Int
    var successThreshold: Int
    var failureThreshold: Int
}

struct ResourceRequirements: Codable, Sendable {
    var limits: [String: String]?
    var requests: [String: String]?
}

struct EnvVar: Codable, Sendable {
    var name: String
    var value: String?
    var valueFrom: EnvVarSource?
}

struct EnvVarSource: Codable, Sendable {
    struct KeyRef: Codable, Sendable { var name: String; var key: String; var optional: Bool? }
    struct FieldRef: Codable, Sendable { var apiVersion: String; var fieldPath: String }
    struct ResourceFieldRef: Codable, Sendable { var containerName: String?; var resource: String; var divisor: String }
    var secretKeyRef: KeyRef?
    var configMapKeyRef: KeyRef?
    var fieldRef: FieldRef?
    var resourceFieldRef: ResourceFieldRef?
}

struct EnvFromSource: Codable, Sendable {
    struct Ref: Codable, Sendable { var name: String; var optional: Bool? }
    var prefix: String?
    var configMapRef: Ref?
    var secretRef: Ref?
}

struct PodStatus: Codable, Sendable {
    var phase: String
    var conditions: [PodCondition]?
    var message: String?
    var reason: String?
    var hostIP: String?
    var hostIPs: [IPEntry]?
    var podIP: String?
    var podIPs: [IPEntry]?
    var startTime: String?
    var initContainerStatuses: [ContainerStatus]?
    var containerStatuses: [ContainerStatus]?
    var qosClass: String?
}

struct IPEntry: Codable, Sendable { var ip: String }

struct PodCondition: Codable, Sendable {
    var type: String
    var status: String
    var lastProbeTime: String?
    var lastTransitionTime: String?
    var reason: String?
    var message: String?
}

struct ContainerStatus: Codable, Sendable {
    var name: String
    var state: ContainerState
    var lastState: ContainerState
    var ready: Bool
    var restartCount: Int
    var image: String
    var imageID: String
    var containerID: String?
    var started: Bool?
}

struct ContainerState: Codable, Sendable {
    struct Waiting: Codable, Sendable { var reason: String; var message: String? }
    struct Running: Codable, Sendable { var startedAt: String }
    struct Terminated: Codable, Sendable {
        var exitCode: Int
        var signal: Int?
        var reason: String?
        var message: String?
        var startedAt: String
        var finishedAt: String
        var containerID: String?
    }
    var waiting: Waiting?
    var running: Running?
    var terminated: Terminated?
}

struct ObjectKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    var namespace: String
    var name: String
    var description: String { "\(namespace)/\(name)" }
    /// etcd orders a collection by its key path, `/<namespace>/<name>`.
    static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        a.namespace != b.namespace ? a.namespace < b.namespace : a.name < b.name
    }
}

/// Kubernetes' `IntOrString` (a port number or a named port).
enum IntOrString: Codable, Sendable {
    case int(Int), string(String)
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .string(try c.decode(String.self)) }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        }
    }
}
