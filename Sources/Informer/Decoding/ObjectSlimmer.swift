/// Removes what the UI never needs from an object's JSON before the store keeps it:
/// `metadata.managedFields` (often half of a pod's bytes) and the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation (a second copy of the spec).
/// Everything else is kept byte for byte, so the focus view shows what the server sent.
///
/// Cut on simdjson's structural index, as LIST items are (`SimdJSONParser.splitList`): only
/// `metadata` is walked, spec and status are skipped without being scanned byte by byte.
enum ObjectSlimmer {
    /// Cutting (list splitting included) always uses simdjson, whatever engine decodes the
    /// objects afterwards.
    static let parsers = SimdJSONParserPool(keep: 2)

    /// The object without those fields (a copy of it when there is nothing to cut).
    static func slim(_ object: UnsafeBufferPointer<UInt8>) throws(KubeDecodingError) -> [UInt8] {
        try parsers.slimObject(object)
    }
}
