import Foundation

/// `DecodingEngine` on simdjson's DOM parser (Debian `libsimdjson-dev`, through the CSimdJSON
/// shim) and hand-written model initialisers: several times the throughput of
/// `FoundationDecodingEngine`, whose cost is mostly Codable's generic machinery, not parsing.
/// It is the default engine; the Foundation one stays as the reference the tests compare with.
public struct SimdDecodingEngine: DecodingEngine {
    private let parsers: SimdJSONParserPool

    public init() {
        parsers = SimdJSONParserPool()
    }

    public func decodeObject(_ json: [UInt8], resource: InformerID.Resource) throws -> KubeObject {
        try parsers.withDocument(json) { root throws(KubeDecodingError) in
            guard root.isObject else { throw .objectDecodingFailed(type: resource.rawValue, detail: "not a JSON object") }
            do throws(KubeDecodingError) {
                switch resource {
                case .pods: return .pod(try Pod(json: root), json: json)
                case .events: return .event(try Event(json: root), json: json)
                }
            } catch {
                throw Self.naming(resource.rawValue, error)
            }
        }
    }

    public func decodeStatus(_ json: [UInt8]) throws -> KubeStatus {
        try parsers.withDocument(json) { root throws(KubeDecodingError) in
            guard root.isObject else { throw .objectDecodingFailed(type: "Status", detail: "not a JSON object") }
            do throws(KubeDecodingError) { return try KubeStatus(json: root) } catch { throw Self.naming("Status", error) }
        }
    }

    public func decodeBookmark(_ json: [UInt8]) throws -> (resourceVersion: String, initialEventsEnd: Bool) {
        let bookmark = try parsers.withDocument(json) { root in try Self.bookmark(root) }
        return (bookmark.resourceVersion, bookmark.initialEventsEnd)
    }

    private struct Bookmark {
        var resourceVersion: String
        var initialEventsEnd: Bool
    }

    // A named function and result type rather than a tuple-returning typed-throws closure:
    // Swift 6.3's SILGen crashes on the reabstraction thunk for the latter.
    private static func bookmark(_ root: JSONValue) throws(KubeDecodingError) -> Bookmark {
        do throws(KubeDecodingError) {
            let metadata = root.isObject ? try root.object("metadata") { $0 } : nil
            guard let rv = try metadata?.string("resourceVersion"), !rv.isEmpty else {
                throw KubeDecodingError.objectDecodingFailed(type: "BOOKMARK", detail: "no metadata.resourceVersion")
            }
            let end = try metadata?.object("annotations") { a throws(KubeDecodingError) in
                try a.string("k8s.io/initial-events-end")
            }
            return Bookmark(resourceVersion: rv, initialEventsEnd: end == "true")
        } catch {
            throw naming("BOOKMARK", error)
        }
    }

    /// Puts the object type into a field-level error ("type mismatch at name" → pods: …).
    private static func naming(_ type: String, _ error: KubeDecodingError) -> KubeDecodingError {
        if case .objectDecodingFailed("JSON", let detail) = error { return .objectDecodingFailed(type: type, detail: detail) }
        return error
    }
}

extension SimdDecodingEngine {
    /// One engine for the process: its parser pool is shared by every informer and view.
    public static let shared = SimdDecodingEngine()
}
