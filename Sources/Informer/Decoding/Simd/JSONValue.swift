import CSimdJSON
import Foundation

/// A read-only view of one value of a simdjson document, with the accessors the Kubernetes
/// models need. The rules mirror `JSONDecoder.decodeIfPresent`: a missing key and an explicit
/// `null` are both "absent"; a value of the wrong type is an error naming the key.
struct JSONValue {
    let raw: kl_json_value

    var type: Int32 { kl_json_type(raw) }
    var isObject: Bool { type == Int32(KL_JSON_OBJECT) }

    /// The member `key`, or nil when it is missing or null.
    func member(_ key: StaticString) -> JSONValue? {
        var out = kl_json_value()
        let found = key.withUTF8Buffer { k in
            k.withMemoryRebound(to: CChar.self) { kl_json_object_find(raw, $0.baseAddress, $0.count, &out) }
        }
        guard found != 0 else { return nil }
        let value = JSONValue(raw: out)
        return value.type == Int32(KL_JSON_NULL) ? nil : value
    }

    // MARK: Scalars of this value

    func asString(_ key: StaticString) throws(KubeDecodingError) -> String {
        guard type == Int32(KL_JSON_STRING) else { throw Self.mismatch(key, "a string") }
        var bytes: UnsafePointer<CChar>? = nil
        var length = 0
        kl_json_string(raw, &bytes, &length)
        guard let bytes, length > 0 else { return "" }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    func asInt64(_ key: StaticString) throws(KubeDecodingError) -> Int64 {
        switch type {
        case Int32(KL_JSON_INT64): return kl_json_int64(raw)
        case Int32(KL_JSON_UINT64):
            let u = kl_json_uint64(raw)
            guard u <= UInt64(Int64.max) else { throw Self.mismatch(key, "a 64-bit integer") }
            return Int64(u)
        case Int32(KL_JSON_DOUBLE):
            // JSONDecoder accepts a number with a zero fraction (`3.0`) as an integer.
            let d = kl_json_double(raw)
            guard let i = Int64(exactly: d) else { throw Self.mismatch(key, "an integer") }
            return i
        default: throw Self.mismatch(key, "a number")
        }
    }

    func asBool(_ key: StaticString) throws(KubeDecodingError) -> Bool {
        guard type == Int32(KL_JSON_BOOL) else { throw Self.mismatch(key, "a boolean") }
        return kl_json_bool(raw) != 0
    }

    func asDate(_ key: StaticString) throws(KubeDecodingError) -> Date {
        guard type == Int32(KL_JSON_STRING) else { throw Self.mismatch(key, "an RFC 3339 time") }
        var bytes: UnsafePointer<CChar>? = nil
        var length = 0
        kl_json_string(raw, &bytes, &length)
        let date = bytes.flatMap { b in
            b.withMemoryRebound(to: UInt8.self, capacity: length) { KubeTime.parse(bytes: UnsafeBufferPointer(start: $0, count: length)) }
        }
        guard let date else { throw Self.mismatch(key, "an RFC 3339 time") }
        return date
    }

    // MARK: Members by key (nil when missing or null)

    func string(_ key: StaticString) throws(KubeDecodingError) -> String? { try member(key).map { v throws(KubeDecodingError) in try v.asString(key) } }
    func int(_ key: StaticString) throws(KubeDecodingError) -> Int? { try member(key).map { v throws(KubeDecodingError) in Int(try v.asInt64(key)) } }
    func int64(_ key: StaticString) throws(KubeDecodingError) -> Int64? { try member(key).map { v throws(KubeDecodingError) in try v.asInt64(key) } }
    func bool(_ key: StaticString) throws(KubeDecodingError) -> Bool? { try member(key).map { v throws(KubeDecodingError) in try v.asBool(key) } }
    func date(_ key: StaticString) throws(KubeDecodingError) -> Date? { try member(key).map { v throws(KubeDecodingError) in try v.asDate(key) } }

    /// A required string member (a missing one is an error, as for a non-optional Codable field).
    func requiredString(_ key: StaticString) throws(KubeDecodingError) -> String {
        guard let value = try string(key) else { throw .objectDecodingFailed(type: "JSON", detail: "missing key \(key)") }
        return value
    }

    /// An object member decoded by `decode`.
    func object<T>(_ key: StaticString, _ decode: (JSONValue) throws(KubeDecodingError) -> T) throws(KubeDecodingError) -> T? {
        guard let v = member(key) else { return nil }
        guard v.isObject else { throw Self.mismatch(key, "an object") }
        return try decode(v)
    }

    /// An array member, each element decoded by `decode`.
    func array<T>(_ key: StaticString, _ decode: (JSONValue) throws(KubeDecodingError) -> T) throws(KubeDecodingError) -> [T]? {
        guard let v = member(key) else { return nil }
        guard v.type == Int32(KL_JSON_ARRAY) else { throw Self.mismatch(key, "an array") }
        var iter = kl_json_iter()
        kl_json_array_begin(v.raw, &iter)
        var out: [T] = []
        var element = kl_json_value()
        while kl_json_array_next(&iter, &element) != 0 { out.append(try decode(JSONValue(raw: element))) }
        return out
    }

    func stringArray(_ key: StaticString) throws(KubeDecodingError) -> [String]? {
        try array(key) { v throws(KubeDecodingError) in try v.asString(key) }
    }

    /// An object of strings (labels, annotations, resource quantities).
    func stringMap(_ key: StaticString) throws(KubeDecodingError) -> [String: String]? {
        guard let v = member(key) else { return nil }
        guard v.isObject else { throw Self.mismatch(key, "an object of strings") }
        var iter = kl_json_iter()
        kl_json_object_begin(v.raw, &iter)
        var out: [String: String] = [:]
        var name: UnsafePointer<CChar>? = nil
        var length = 0
        var value = kl_json_value()
        while kl_json_object_next(&iter, &name, &length, &value) != 0 {
            let k = name.map { p in
                p.withMemoryRebound(to: UInt8.self, capacity: length) { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) }
            } ?? ""
            out[k] = try JSONValue(raw: value).asString(key)
        }
        return out
    }

    static func mismatch(_ key: StaticString, _ expected: String) -> KubeDecodingError {
        .objectDecodingFailed(type: "JSON", detail: "type mismatch at \(key): expected \(expected)")
    }
}
