import Foundation

/// A pod as the UI needs it: decoded tolerantly from list items, watch events and GETs.
///
/// Only `metadata` is always present. Every other field is optional because the server omits
/// empty fields, sends zero times as `null`, and BOOKMARK objects are near-empty pods
/// (`"spec":{"containers":null},"status":{}`). Unknown fields are ignored. List items may lack
/// `kind`/`apiVersion`.
public struct Pod: Decodable, Sendable, Hashable {
    public var kind: String?
    public var apiVersion: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decodeIfPresent(PodSpec.self, forKey: .spec)
        status = try c.decodeIfPresent(PodStatus.self, forKey: .status)
    }

    enum CodingKeys: String, CodingKey { case kind, apiVersion, metadata, spec, status }
}

/// `spec` of a pod: containers and where the pod runs.
public struct PodSpec: Decodable, Sendable, Hashable {
    public var containers: [Container]?
    public var initContainers: [Container]?
    public var ephemeralContainers: [Container]?
    public var nodeName: String?
    public var restartPolicy: String?
    public var serviceAccountName: String?
    public var priorityClassName: String?
    public var schedulingGates: [NamedEntry]?
    public var readinessGates: [ReadinessGate]?

    public init(containers: [Container]? = nil, initContainers: [Container]? = nil, nodeName: String? = nil) {
        self.containers = containers
        self.initContainers = initContainers
        self.nodeName = nodeName
    }
}

/// `{name: …}` entries such as `spec.schedulingGates[]`.
public struct NamedEntry: Decodable, Sendable, Hashable {
    public var name: String?
}

/// `spec.readinessGates[]`.
public struct ReadinessGate: Decodable, Sendable, Hashable {
    public var conditionType: String?
}

/// A regular, init or ephemeral container from the pod spec.
public struct Container: Decodable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var env: [EnvVar]?
    public var envFrom: [EnvFromSource]?
    public var resources: ResourceRequirements?
    /// `Always` on an init container marks it as a sidecar (restartable init container).
    public var restartPolicy: String?
    /// Ephemeral containers only: the container whose namespaces it joins.
    public var targetContainerName: String?

    public init(name: String, image: String? = nil, restartPolicy: String? = nil) {
        self.name = name
        self.image = image
        self.restartPolicy = restartPolicy
    }

    /// True for an init container with `restartPolicy: Always` (a sidecar).
    public var isSidecar: Bool { restartPolicy == "Always" }
}

/// `env[]`: a literal `value` or a `valueFrom` reference, never both.
public struct EnvVar: Decodable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?
}

/// Where an environment variable's value comes from. Secret values are never fetched.
public struct EnvVarSource: Decodable, Sendable, Hashable {
    public var secretKeyRef: KeyReference?
    public var configMapKeyRef: KeyReference?
    public var fieldRef: FieldReference?
    public var resourceFieldRef: ResourceFieldReference?
    public var fileKeyRef: FileKeyReference?
}

/// `secretKeyRef` / `configMapKeyRef`.
public struct KeyReference: Decodable, Sendable, Hashable {
    public var name: String?
    public var key: String?
    public var optional: Bool?
}

/// `fieldRef` (e.g. `metadata.name`, `status.podIP`).
public struct FieldReference: Decodable, Sendable, Hashable {
    public var apiVersion: String?
    public var fieldPath: String?
}

/// `resourceFieldRef` (e.g. `limits.memory` with divisor `1Mi`).
public struct ResourceFieldReference: Decodable, Sendable, Hashable {
    public var containerName: String?
    public var resource: String?
    public var divisor: String?
}

/// `fileKeyRef` (behind the `EnvFiles` feature gate); tolerated and shown as is.
public struct FileKeyReference: Decodable, Sendable, Hashable {
    public var volumeName: String?
    public var path: String?
    public var key: String?
    public var optional: Bool?
}

/// `envFrom[]`: every key of a ConfigMap or Secret, optionally prefixed.
public struct EnvFromSource: Decodable, Sendable, Hashable {
    public var prefix: String?
    public var configMapRef: OptionalNameReference?
    public var secretRef: OptionalNameReference?
}

/// `{name, optional}`.
public struct OptionalNameReference: Decodable, Sendable, Hashable {
    public var name: String?
    public var optional: Bool?
}

/// `resources`: quantity strings by resource name (parse them with `Quantity`).
public struct ResourceRequirements: Decodable, Sendable, Hashable {
    public var limits: [String: String]?
    public var requests: [String: String]?
}
