import CSimdJSON
import Synchronization

/// One simdjson DOM parser. Not thread-safe, and the values it hands out are valid only until
/// it parses again, so it is used inside `SimdJSONParserPool.withDocument`, by one thread at a
/// time (hence the unchecked `Sendable`: the pool hands each parser to one caller).
final class SimdJSONParser: @unchecked Sendable {
    fileprivate let handle: OpaquePointer

    init() {
        guard let handle = kl_json_parser_new() else { fatalError("simdjson: out of memory creating a parser") }
        self.handle = handle
    }

    deinit { kl_json_parser_free(handle) }

    /// The size of input its buffers are ready for.
    var capacity: Int { kl_json_parser_capacity(handle) }

    /// Lets go of buffers sized for inputs over `maxBytes`.
    func shrink(above maxBytes: Int) { kl_json_parser_shrink(handle, maxBytes) }

    func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(KubeDecodingError) -> JSONValue {
        var root = kl_json_value()
        let code = kl_json_parse(handle, bytes.baseAddress, bytes.count, &root)
        guard code == 0 else {
            throw .objectDecodingFailed(type: "JSON", detail: String(cString: kl_json_error_message(code)))
        }
        return JSONValue(raw: root)
    }
}

/// Parsers for concurrent decoding (a list is decoded on every core): one is taken per
/// document and returned afterwards, so each keeps its buffers warm for the next object —
/// up to `maxKeptCapacity`: a parser that split a LIST page (~4 MB, buffers several times
/// that) gives them back first, or the pool would hold ~20 MB after a relist for nothing.
/// Allocating them afresh costs about a millisecond per page.
final class SimdJSONParserPool: Sendable {
    private let unused = Mutex<[SimdJSONParser]>([])
    private let keep: Int
    let maxKeptCapacity: Int

    init(keep: Int = 8, maxKeptCapacity: Int = 1 << 20) {
        self.keep = keep
        self.maxKeptCapacity = maxKeptCapacity
    }

    func withDocument<T>(_ bytes: [UInt8], _ body: (JSONValue) throws -> T) throws -> T {
        let parser = take()
        defer { give(parser) }
        return try bytes.withUnsafeBufferPointer { buffer in try body(try parser.parse(buffer)) }
    }

    func take() -> SimdJSONParser { unused.withLock { $0.popLast() } ?? SimdJSONParser() }

    func give(_ parser: SimdJSONParser) {
        parser.shrink(above: maxKeptCapacity)
        unused.withLock { if $0.count < keep { $0.append(parser) } }
    }

    /// The parsers kept for reuse, largest buffers first (for tests).
    var keptCapacities: [Int] { unused.withLock { $0.map(\.capacity).sorted(by: >) } }
}

/// A LIST body cut into its items, each slimmed (see `ObjectSlimmer` for what is removed).
struct SplitList {
    var items: [[UInt8]]
    /// The list's `metadata` object, raw.
    var metadata: [UInt8]?
    var kind: String?
}

extension SimdJSONParser {
    /// Splits a LIST body on simdjson's structural index: only each item's `metadata` is
    /// walked, spec and status are skipped without being scanned byte by byte.
    func splitList(_ b: UnsafeBufferPointer<UInt8>) throws(KubeDecodingError) -> SplitList {
        var spans: UnsafePointer<kl_json_item_span>? = nil
        var count = 0
        var metadataStart = 0, metadataEnd = 0
        var kind: UnsafePointer<CChar>? = nil
        var kindLength = 0
        let code = kl_json_split_list(handle, b.baseAddress, b.count, &spans, &count, &metadataStart, &metadataEnd, &kind, &kindLength)
        guard code == 0 else {
            throw .objectDecodingFailed(type: "List", detail: String(cString: kl_json_error_message(code)))
        }
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for i in 0..<count { items.append(Self.slimmed(spans![i], in: b)) }
        let name = kindLength > 0 ? kind.map { p in
            p.withMemoryRebound(to: UInt8.self, capacity: kindLength) { String(decoding: UnsafeBufferPointer(start: $0, count: kindLength), as: UTF8.self) }
        } : nil
        return SplitList(items: items, metadata: metadataEnd > metadataStart ? Array(UnsafeBufferPointer(rebasing: b[metadataStart..<metadataEnd])) : nil,
                         kind: name)
    }

    /// One object without managedFields and the last-applied annotation (see `ObjectSlimmer`),
    /// cut where the structural index says, as a LIST item is.
    func slimObject(_ b: UnsafeBufferPointer<UInt8>) throws(KubeDecodingError) -> [UInt8] {
        var span = kl_json_item_span()
        let code = kl_json_object_cuts(handle, b.baseAddress, b.count, &span)
        guard code == 0 else {
            throw .objectDecodingFailed(type: "JSON", detail: String(cString: kl_json_error_message(code)))
        }
        return Self.slimmed(span, in: b)
    }

    /// The span's bytes without its cuts.
    private static func slimmed(_ span: kl_json_item_span, in b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var cuts: [Range<Int>] = []
        for (start, end) in [(span.cut_start.0, span.cut_end.0), (span.cut_start.1, span.cut_end.1)] where end > start {
            cuts.append(memberWithComma(start..<end, in: b))
        }
        if cuts.isEmpty { return Array(UnsafeBufferPointer(rebasing: b[span.start..<span.end])) }
        var out: [UInt8] = []
        out.reserveCapacity(span.end - span.start)
        var position = span.start
        for cut in cuts {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[position..<cut.lowerBound]))
            position = cut.upperBound
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[position..<span.end]))
        return out
    }

    /// A member's span widened by one separating comma, so removing it leaves valid JSON:
    /// the comma after it, else the one before it (when it is the last member).
    static func memberWithComma(_ member: Range<Int>, in b: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        var after = member.upperBound
        while after < b.count, isSpace(b[after]) { after += 1 }
        if after < b.count, b[after] == UInt8(ascii: ",") { return member.lowerBound..<(after + 1) }
        var before = member.lowerBound - 1
        while before >= 0, isSpace(b[before]) { before -= 1 }
        if before >= 0, b[before] == UInt8(ascii: ",") { return before..<member.upperBound }
        return member
    }
}

extension SimdJSONParserPool {
    func slimObject(_ object: UnsafeBufferPointer<UInt8>) throws(KubeDecodingError) -> [UInt8] {
        let parser = take()
        defer { give(parser) }
        return try parser.slimObject(object)
    }

    func splitList(_ body: [UInt8]) throws(KubeDecodingError) -> SplitList {
        let parser = take()
        defer { give(parser) }
        do {
            return try body.withUnsafeBufferPointer { b in try parser.splitList(b) }
        } catch let error as KubeDecodingError {
            throw error
        } catch {
            throw .objectDecodingFailed(type: "List", detail: "\(error)")
        }
    }
}
