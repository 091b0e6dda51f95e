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
/// document and returned afterwards, so each keeps its buffers warm for the next object.
final class SimdJSONParserPool: Sendable {
    private let unused = Mutex<[SimdJSONParser]>([])
    private let keep: Int

    init(keep: Int = 8) { self.keep = keep }

    func withDocument<T>(_ bytes: [UInt8], _ body: (JSONValue) throws -> T) throws -> T {
        let parser = unused.withLock { $0.popLast() } ?? SimdJSONParser()
        defer { unused.withLock { if $0.count < keep { $0.append(parser) } } }
        return try bytes.withUnsafeBufferPointer { buffer in try body(try parser.parse(buffer)) }
    }
}
