/// One decoded event from a watch stream.
public enum WatchEvent: Sendable {
    /// ADDED, MODIFIED or DELETED with the (slimmed) object.
    case change(WatchChange)
    /// A BOOKMARK: only advances the resume point. `initialEventsEnd` marks the end of a
    /// WatchList's initial state (annotation `k8s.io/initial-events-end: "true"`).
    case bookmark(resourceVersion: String, initialEventsEnd: Bool)
    /// An ERROR event: the server ends the watch after it (e.g. 410 Expired).
    case error(KubeStatus)

    /// The resourceVersion this event moves the resume point to, if any.
    public var resourceVersion: String? {
        switch self {
        case .change(let c): c.object.resourceVersion
        case .bookmark(let rv, _): rv
        case .error: nil
        }
    }
}

extension KubeObject {
    /// The object's `metadata`.
    public var metadata: ObjectMeta {
        switch self {
        case .pod(let p, _): p.metadata
        case .event(let e, _): e.metadata
        }
    }

    /// The object's own resourceVersion (opaque text).
    public var resourceVersion: String? { metadata.resourceVersion }

    /// `namespace/name`: the cache key.
    public var key: String { metadata.key }

    /// The JSON the object was decoded from (managedFields and last-applied stripped).
    public var json: [UInt8] {
        switch self {
        case .pod(_, let json), .event(_, let json): json
        }
    }
}

/// Why a watch line or list body could not be decoded. Carries what failed and where,
/// never the body (which could hold anything the cluster stores).
public enum KubeDecodingError: Error, Equatable, CustomStringConvertible {
    /// Not structurally valid JSON (offset into the line or body).
    case malformedJSON(offset: Int)
    /// The envelope has no `type` or no `object`.
    case missingEnvelopeField(String)
    /// A watch event type the client does not know.
    case unknownEventType(String)
    /// The object did not decode as the expected type.
    case objectDecodingFailed(type: String, detail: String)
    /// A line longer than the decoder accepts.
    case lineTooLong(limit: Int)

    public var description: String {
        switch self {
        case .malformedJSON(let o): "malformed JSON near byte \(o)"
        case .missingEnvelopeField(let f): "watch event has no \"\(f)\" field"
        case .unknownEventType(let t): "unknown watch event type \"\(t)\""
        case .objectDecodingFailed(let t, let d): "could not decode \(t): \(d)"
        case .lineTooLong(let l): "watch event longer than \(l) bytes"
        }
    }
}
