import Foundation

/// Kubernetes' wire time formats (KUBERNETES-API.md §0): `metav1.Time` has whole seconds,
/// `MicroTime` exactly 6 fractional digits, log timestamps 9.
enum WireTime {
    static func seconds(_ date: Date) -> String {
        format(date, fractionDigits: 0)
    }
    static func micro(_ date: Date) -> String {
        format(date, fractionDigits: 6)
    }
    static func nano(_ date: Date) -> String {
        format(date, fractionDigits: 9)
    }

    private static func format(_ date: Date, fractionDigits: Int) -> String {
        let t = date.timeIntervalSince1970
        let whole = floor(t)
        var tm = tm()
        var seconds = time_t(whole)
        gmtime_r(&seconds, &tm)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                          Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
        if fractionDigits > 0 {
            let scale = pow(10.0, Double(fractionDigits))
            let fraction = min(Int(((t - whole) * scale).rounded(.down)), Int(scale) - 1)
            text += "." + String(format: "%0\(fractionDigits)d", fraction)
        }
        return text + "Z"
    }

    static func parse(_ text: String) -> Date? {
        // Whole seconds are enough where the simulator reads its own times back.
        let digits = text.utf8.map { Int($0) - 48 }
        guard digits.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int32 {
            Int32(digits[from..<from + count].reduce(0) { $0 * 10 + $1 })
        }
        var tm = tm()
        tm.tm_year = number(0, 4) - 1900
        tm.tm_mon = number(5, 2) - 1
        tm.tm_mday = number(8, 2)
        tm.tm_hour = number(11, 2)
        tm.tm_min = number(14, 2)
        tm.tm_sec = number(17, 2)
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let z = text.firstIndex(of: "Z"), dot < z {
            fraction = Double("0" + text[dot..<z]) ?? 0
        }
        return Date(timeIntervalSince1970: Double(timegm(&tm)) + fraction)
    }
}
