import Foundation

/// A Kubernetes resource quantity (`250m`, `1.5Gi`, `129e6`), parsed exactly as
/// `apimachinery/pkg/api/resource` does (KUBERNETES-API.md §6.2).
///
/// The value is exact (no floating point): a non-zero value is rounded up, away from zero, to a
/// multiple of 10^-9, and its magnitude is capped at 2^63−1. A string without any digit (`"Gi"`,
/// `"."`, `"+"`) is rejected here, although the Go parser reads it as 0: servers never send such
/// text, and an error is easier to notice than a silent zero.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The text as received.
    public let text: String
    /// The exact value in base units (cores, bytes).
    public let decimal: Decimal

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case malformed(String)
        public var description: String {
            switch self {
            case .empty: "quantity is empty"
            case .malformed(let t): "quantity \"\(t)\" does not match ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
            }
        }
    }

    static let cap = Decimal(Int64.max)

    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []  // significant digits, leading zeros dropped
        var fractionDigits = 0
        var sawDot = false, sawDigit = false, sticky = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") {
                if sawDot { throw .malformed(text) }
                sawDot = true
            } else if c >= 48 && c <= 57 {
                sawDigit = true
                if digits.isEmpty && c == 48 {
                    if sawDot { fractionDigits += 1 }
                } else if digits.count < 30 {
                    digits.append(c - 48)
                    if sawDot { fractionDigits += 1 }
                } else {
                    // Beyond 30 significant digits: integer digits still scale the value, dropped
                    // fraction digits only matter for rounding up.
                    if !sawDot { fractionDigits -= 1 } else if c != 48 { sticky = true }
                }
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { throw .malformed(text) }
        let suffix = String(decoding: bytes[i...], as: UTF8.self)
        guard let (base10, base2) = Quantity.multiplier(suffix) else { throw .malformed(text) }

        var mantissa = Decimal(0)
        for d in digits { mantissa = mantissa * 10 + Decimal(Int(d)) }
        if mantissa == 0 && !sticky {
            self.text = text
            self.decimal = 0
            return
        }
        // Work in nano-units so "round up to 1n" is "round up to an integer".
        let exponent10 = base10 - fractionDigits + 9
        var nanos: Decimal
        if exponent10 > 60 {
            nanos = Quantity.cap * 1_000_000_000 * 10
        } else if exponent10 < -60 {
            nanos = Decimal(string: "0.5")!
        } else {
            nanos = Decimal(sign: .plus, exponent: exponent10, significand: mantissa)
            if base2 > 0 { nanos *= Decimal(UInt64(1) << UInt64(base2)) }
        }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &nanos, 0, .up)
        if rounded < nanos || (sticky && rounded == nanos) { rounded += 1 }
        var value = rounded / 1_000_000_000
        if value > Quantity.cap { value = Quantity.cap }
        self.text = text
        self.decimal = negative ? -value : value
    }

    /// Returns nil instead of throwing, for fields that are best-effort in the UI.
    public static func parse(_ text: String) -> Quantity? { try? Quantity(parsing: text) }

    /// The suffix as (power of ten, power of two), or nil when it is not a valid suffix.
    static func multiplier(_ suffix: String) -> (Int, Int)? {
        switch suffix {
        case "": return (0, 0)
        case "n": return (-9, 0)
        case "u": return (-6, 0)
        case "m": return (-3, 0)
        case "k": return (3, 0)
        case "M": return (6, 0)
        case "G": return (9, 0)
        case "T": return (12, 0)
        case "P": return (15, 0)
        case "E": return (18, 0)
        case "Ki": return (0, 10)
        case "Mi": return (0, 20)
        case "Gi": return (0, 30)
        case "Ti": return (0, 40)
        case "Pi": return (0, 50)
        case "Ei": return (0, 60)
        default: break
        }
        // Decimal exponent: e|E, optional sign, at least one digit.
        var s = Substring(suffix)
        guard let first = s.first, first == "e" || first == "E" else { return nil }
        s = s.dropFirst()
        var negative = false
        if let sign = s.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            s = s.dropFirst()
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let exp = Int(s.prefix(4)) ?? 9999
        let clamped = s.count > 4 ? 9999 : exp
        return (negative ? -clamped : clamped, 0)
    }

    /// `ceil(value)`: bytes for memory, whole cores for CPU (rounded away from zero).
    public var value: Int64 { Quantity.ceilAway(decimal) }

    /// `ceil(value × 1000)`: millicores for CPU.
    public var milliValue: Int64 { Quantity.ceilAway(decimal * 1000) }

    /// `kubectl top`'s memory figure: whole MiB by integer division of the bytes.
    public var mebibytes: Int64 { value / 1_048_576 }

    public var description: String { text }

    static func ceilAway(_ d: Decimal) -> Int64 {
        var magnitude = d < 0 ? -d : d
        var rounded = Decimal()
        NSDecimalRound(&rounded, &magnitude, 0, .up)
        if rounded < magnitude { rounded += 1 }
        if rounded > cap { rounded = cap }
        let v = NSDecimalNumber(decimal: rounded).int64Value
        return d < 0 ? -v : v
    }
}
