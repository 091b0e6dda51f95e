import Foundation

/// `DecodingEngine` on Foundation's `JSONDecoder` (~80 MB/s a core). Lists are decoded per
/// item on all cores by `ListDecoder`, which roughly doubles that on this machine's two cores.
public struct FoundationDecodingEngine: DecodingEngine {
    // JSONDecoder is safe to share once configured (it is Sendable); making one per object
    // costs more than decoding a small object.
    private let decoder: JSONDecoder

    public init() {
        decoder = KubeJSON.makeDecoder()
    }

    private struct BookmarkObject: Decodable {
        struct Meta: Decodable {
            var resourceVersion: String?
            var annotations: [String: String]?
        }
        var metadata: Meta?
    }

    public func decodeObject(_ json: [UInt8], resource: InformerID.Resource) throws -> KubeObject {
        do {
            switch resource {
            case .pods: return .pod(try decoder.decode(Pod.self, from: Data(json)), json: json)
            case .events: return .event(try decoder.decode(Event.self, from: Data(json)), json: json)
            }
        } catch let error as DecodingError {
            throw KubeDecodingError.objectDecodingFailed(type: resource.rawValue, detail: Self.describe(error))
        }
    }

    public func decodeStatus(_ json: [UInt8]) throws -> KubeStatus {
        do {
            return try decoder.decode(KubeStatus.self, from: Data(json))
        } catch let error as DecodingError {
            throw KubeDecodingError.objectDecodingFailed(type: "Status", detail: Self.describe(error))
        }
    }

    public func decodeBookmark(_ json: [UInt8]) throws -> (resourceVersion: String, initialEventsEnd: Bool) {
        let object: BookmarkObject
        do {
            object = try decoder.decode(BookmarkObject.self, from: Data(json))
        } catch let error as DecodingError {
            throw KubeDecodingError.objectDecodingFailed(type: "BOOKMARK", detail: Self.describe(error))
        }
        guard let rv = object.metadata?.resourceVersion, !rv.isEmpty else {
            throw KubeDecodingError.objectDecodingFailed(type: "BOOKMARK", detail: "no metadata.resourceVersion")
        }
        return (rv, object.metadata?.annotations?["k8s.io/initial-events-end"] == "true")
    }

    /// The coding path and kind of a decoding failure, without the offending value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(_, let c): return "type mismatch at \(path(c))"
        case .valueNotFound(_, let c): return "missing value at \(path(c))"
        case .keyNotFound(let k, let c): return "missing key \(k.stringValue) at \(path(c))"
        case .dataCorrupted(let c): return "invalid data at \(path(c))"
        @unknown default: return "undecodable"
        }
    }
}
