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
            // The API server writes `{"type":…,"object":{…}}`: the object runs to the envelope's
            // closing brace, so it is found without a pass over its bytes. Anything unusual
            // (another member order, extra members) takes the general path, which also reports
            // malformed input precisely.
            if let (type, object) = Self.serverEnvelope(scanner, from: start),
               let event = try? decode(type: type, object: object, scanner) {
                return event
            }
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
            return try decode(type: type, object: objectMember.value, scanner)
        }
    }

    private func decode(type: String, object range: Range<Int>, _ scanner: JSONScanner) throws -> WatchEvent {
        let b = scanner.bytes
        switch type {
        case "ADDED", "MODIFIED", "DELETED":
            let json = try ObjectSlimmer.slim(UnsafeBufferPointer(rebasing: b[range]))
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

    /// `type` and the object's range when the line is exactly `{"type":"…","object":{…}}`
    /// (whitespace allowed), else nil. The object's end is taken from the line's end; the
    /// decoders that read it reject a range that is not one object.
    static func serverEnvelope(_ scanner: JSONScanner, from start: Int) -> (String, Range<Int>)? {
        let b = scanner.bytes
        func literal(_ text: StaticString, at i: Int) -> Int? {
            let n = text.utf8CodeUnitCount
            guard i + n <= b.count else { return nil }
            for k in 0..<n where b[i + k] != text.utf8Start[k] { return nil }
            return i + n
        }
        func after(_ byte: UInt8, at i: Int) -> Int? {
            let i = scanner.skipWhitespace(i)
            return i < b.count && b[i] == byte ? scanner.skipWhitespace(i + 1) : nil
        }
        guard b[start] == UInt8(ascii: "{"),
              let typeKey = literal("\"type\"", at: scanner.skipWhitespace(start + 1)),
              let typeValue = after(UInt8(ascii: ":"), at: typeKey),
              let typeEnd = try? scanner.skipString(typeValue),
              let type = scanner.string(at: typeValue..<typeEnd),
              let comma = after(UInt8(ascii: ","), at: typeEnd),
              let objectKey = literal("\"object\"", at: comma),
              let objectStart = after(UInt8(ascii: ":"), at: objectKey),
              objectStart < b.count, b[objectStart] == UInt8(ascii: "{")
        else { return nil }
        var end = b.count - 1
        while end > objectStart, [0x20, 0x09, 0x0A, 0x0D].contains(b[end]) { end -= 1 }
        guard b[end] == UInt8(ascii: "}") else { return nil }
        end -= 1
        while end > objectStart, [0x20, 0x09, 0x0A, 0x0D].contains(b[end]) { end -= 1 }
        guard b[end] == UInt8(ascii: "}") else { return nil }
        return (type, objectStart..<(end + 1))
    }

    static func offset(_ error: any Error) -> Int {
        switch error as? JSONScanner.ScanError {
        case .unexpected(_, let at): at
        case .unexpectedEnd, nil: -1
        }
    }
}
