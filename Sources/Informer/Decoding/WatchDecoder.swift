/// Turns the bytes of a watch response, in chunks of any size, into `WatchEvent`s.
///
/// Decoding is two-step: the envelope (`type` and where `object` lies) is read by the
/// structural scanner, then the object is decoded according to `type`, so a BOOKMARK's
/// near-empty pod or an ERROR's Status never meets the pod decoder. Blank lines are skipped;
/// a final line without a newline is decoded when the stream ends cleanly (`finish()`).
public struct WatchDecoder: Sendable {
    private var framer: LineFramer
    public let resource: InformerID.Resource
    private let engine: any DecodingEngine

    public init(resource: InformerID.Resource, engine: any DecodingEngine = SimdDecodingEngine.shared,
                maxEventBytes: Int = 64 << 20) {
        self.resource = resource
        self.engine = engine
        self.framer = LineFramer(maxLineLength: maxEventBytes)
    }

    /// Feeds a chunk; returns the events it completed, in stream order.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws -> [WatchEvent] {
        try framer.append(chunk).compactMap { try decodeLine($0) }
    }

    /// Call at a clean end of stream: decodes a last line that had no newline.
    public mutating func finish() throws -> [WatchEvent] {
        guard let last = framer.finish() else { return [] }
        return try decodeLine(last).map { [$0] } ?? []
    }

    /// Decodes one line (one JSON envelope). Returns nil for a blank line.
    public func decodeLine(_ line: [UInt8]) throws -> WatchEvent? {
        try line.withUnsafeBufferPointer { b -> WatchEvent? in
            let scanner = JSONScanner(bytes: b)
            let start = scanner.skipWhitespace(0)
            if start == b.count { return nil }
            let members: [JSONScanner.Member]
            do {
                members = try scanner.members(ofObjectAt: start)
            } catch {
                throw KubeDecodingError.malformedJSON(offset: Self.offset(error))
            }
            guard let typeMember = scanner.member("type", in: members),
                  let type = scanner.string(at: typeMember.value)
            else { throw KubeDecodingError.missingEnvelopeField("type") }
            guard let objectMember = scanner.member("object", in: members),
                  b[objectMember.value.lowerBound] == UInt8(ascii: "{")
            else { throw KubeDecodingError.missingEnvelopeField("object") }
            let range = objectMember.value
            switch type {
            case "ADDED", "MODIFIED", "DELETED":
                let json: [UInt8]
                do {
                    json = try ObjectSlimmer.slim(scanner, object: range)
                } catch {
                    throw KubeDecodingError.malformedJSON(offset: Self.offset(error))
                }
                let object = try engine.decodeObject(json, resource: resource)
                return .change(WatchChange(kind: WatchChange.Kind(rawValue: type)!, object: object))
            case "BOOKMARK":
                let (rv, end) = try engine.decodeBookmark(Array(b[range]))
                return .bookmark(resourceVersion: rv, initialEventsEnd: end)
            case "ERROR":
                return .error(try engine.decodeStatus(Array(b[range])))
            default:
                throw KubeDecodingError.unknownEventType(type)
            }
        }
    }

    static func offset(_ error: any Error) -> Int {
        switch error as? JSONScanner.ScanError {
        case .unexpected(_, let at): at
        case .unexpectedEnd, nil: -1
        }
    }
}
