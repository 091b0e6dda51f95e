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
        var text = text
        // Names, images and most messages need no escaping: append them whole.
        text.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for unit in utf8 {
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
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    mutating func number(_ value: Int) {
        guard value >= 0 else { raw(String(value)); return }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
    mutating func number(_ value: Int?) { if let value { number(value) } else { raw("null") } }
    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else { raw("null"); return }
        raw(String(format: "%.1f", value))
    }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    /// RFC 3339 in UTC with whole seconds, written digit by digit: a 10,000-row table has
    /// 20,000 dates, and `String(format:)` made them most of its encoding time.
    mutating func date(_ value: Date?) {
        guard let value else { raw("null"); return }
        var tm = tm()
        var t = time_t(value.timeIntervalSince1970.rounded(.down))
        gmtime_r(&t, &tm)
        func digits(_ v: Int32, _ width: Int) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            var v = v
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        bytes.append(UInt8(ascii: "\""))
        digits(tm.tm_year + 1900, 4); bytes.append(UInt8(ascii: "-"))
        digits(tm.tm_mon + 1, 2); bytes.append(UInt8(ascii: "-"))
        digits(tm.tm_mday, 2); bytes.append(UInt8(ascii: "T"))
        digits(tm.tm_hour, 2); bytes.append(UInt8(ascii: ":"))
        digits(tm.tm_min, 2); bytes.append(UInt8(ascii: ":"))
        digits(tm.tm_sec, 2)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    /// `"key":` — keys are our own constants (hence `StaticString`), never cluster text.
    mutating func key(_ name: StaticString) {
        if let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
