import Foundation

/// kubectl's AGE text (`apimachinery/pkg/util/duration.HumanDuration`), e.g. `119s`, `9m30s`,
/// `2d2h`, `2y70d`. The units truncate; the precision drops as the age grows.
public enum HumanDuration {
    /// Formats an elapsed time. Below −1 s (clock skew) it is `<invalid>`; slightly negative is `0s`.
    public static func string(_ interval: TimeInterval) -> String {
        let secondsD = interval.rounded(.towardZero)
        if secondsD < -1 { return "<invalid>" }
        if secondsD < 0 { return "0s" }
        let s = Int64(min(secondsD, Double(Int64.max / 2)))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 {
            let rs = s % 60
            return rs == 0 ? "\(m)m" : "\(m)m\(rs)s"
        }
        if m < 180 { return "\(m)m" }
        let h = s / 3600
        if h < 8 {
            let rm = m % 60
            return rm == 0 ? "\(h)h" : "\(h)h\(rm)m"
        }
        if h < 48 { return "\(h)h" }
        if h < 192 {
            let d = h / 24, rh = h % 24
            return rh == 0 ? "\(d)d" : "\(d)d\(rh)h"
        }
        let d = h / 24
        if h < 24 * 365 * 2 { return "\(d)d" }
        let y = d / 365
        if h < 24 * 365 * 8 {
            let rd = d % 365
            return rd == 0 ? "\(y)y" : "\(y)y\(rd)d"
        }
        return "\(y)y"
    }

    /// The age of `date` at `now`; `<unknown>` when the time is missing (JSON null).
    public static func since(_ date: Date?, now: Date) -> String {
        guard let date else { return "<unknown>" }
        return string(now.timeIntervalSince(date))
    }
}
