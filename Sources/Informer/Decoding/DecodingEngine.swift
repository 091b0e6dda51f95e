/// The seam for JSON decoding, so a faster engine (simdjson behind a C API) can replace the
/// Foundation one without touching the decoder, the reflector or the store.
///
/// Implementations decode one object (already cut out of a list or an envelope) into the
/// model type for `resource`, and return it with its slimmed JSON.
public protocol DecodingEngine: Sendable {
    /// Decodes one object's JSON bytes (a list item or a watch event's `object`).
    func decodeObject(_ json: [UInt8], resource: InformerID.Resource) throws -> KubeObject
    /// Decodes a Status (watch ERROR object or error body).
    func decodeStatus(_ json: [UInt8]) throws -> KubeStatus
    /// Decodes a BOOKMARK object: its resourceVersion and whether it ends a WatchList's initial events.
    func decodeBookmark(_ json: [UInt8]) throws -> (resourceVersion: String, initialEventsEnd: Bool)
}
