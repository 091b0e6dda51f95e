import Foundation

/// Builds JSON text by appending, for the messages sent many times a second to many clients
/// (a 10,000-row `pods` message is ~1 MB): an order of magnitude cheaper than `JSONEncoder`, and
/// the key order stays as written.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: Array(String(format: "\\u%04x", unit).utf8))
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    mutating func number(_ value: Int) { raw(String(value)) }
    mutating func number(_ value: Int?) { if let value { number(value) } else { raw("null") } }
    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else { raw("null"); return }
        raw(String(format: "%.1f", value))
    }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    mutating func date(_ value: Date?) { string(value.map(Self.iso)) }

    /// `"key":` — keys are our own constants, never cluster text.
    mutating func key(_ name: String) {
        if let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") { bytes.append(UInt8(ascii: ",")) }
        raw("\"\(name)\":")
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    static func iso(_ date: Date) -> String {
        var tm = tm()
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                      Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
