/// Kubernetes object metadata as kube-apiserver serialises it (Go's `omitempty`: empty
/// values are left out). Times are kept as the exact wire strings.
struct ObjectMeta: Codable, Sendable {
    var name: String
    var generateName: String?
    var namespace: String?
    var uid: String
    var resourceVersion: String
    var generation: Int?
    var creationTimestamp: String
    var deletionTimestamp: String?
    var deletionGracePeriodSeconds: Int?
    var labels: [String: String]?
    var annotations: [String: String]?
    var ownerReferences: [OwnerReference]?
    var managedFields: [ManagedFieldsEntry]?
}

struct OwnerReference: Codable, Sendable {
    var apiVersion: String
    var kind: String
    var name: String
    var uid: String
    var controller: Bool?
    var blockOwnerDeletion: Bool?
}

struct ManagedFieldsEntry: Codable, Sendable {
    var manager: String
    var operation: String
    var apiVersion: String
    var time: String
    var fieldsType: String
    var fieldsV1: JSONValue
    var subresource: String?
}

/// Free-form JSON, for `fieldsV1` whose shape mirrors the object it describes.
indirect enum JSONValue: Codable, Sendable {
    case object([String: JSONValue])
    case string(String)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let members): try container.encode(members)
        case .string(let value): try container.encode(value)
        }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) { self = .string(s) } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// `{"f:a":{},"f:b":{".":{},"f:c":{}}}` from a list of dotted paths such as `a`, `b.c`.
    static func fields(_ paths: [String]) -> JSONValue {
        var root: [String: JSONValue] = [:]
        for path in paths {
            insert(path.split(separator: ".").map(String.init), into: &root)
        }
        return .object(root)
    }

    private static func insert(_ parts: [String], into node: inout [String: JSONValue]) {
        guard let first = parts.first else { return }
        let key = first.hasPrefix("k:") ? first : "f:\(first)"
        var child: [String: JSONValue]
        if case .object(let existing)? = node[key] { child = existing } else { child = [:] }
        if parts.count > 1 {
            child["."] = .object([:])
            insert(Array(parts.dropFirst()), into: &child)
        }
        node[key] = .object(child)
    }
}
