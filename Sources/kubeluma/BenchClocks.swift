import Foundation

/// CPU time (user and system, all threads) this process has used so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
    return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
}

/// Milliseconds since the last lap and since the start.
struct Stopwatch {
    private var start = ContinuousClock.now
    private var last = ContinuousClock.now

    mutating func reset() { start = .now; last = start }

    mutating func lap() -> Double {
        let now = ContinuousClock.now
        defer { last = now }
        return Self.ms(now - last)
    }

    func total() -> Double { Self.ms(.now - start) }

    private static func ms(_ d: Duration) -> Double { d.seconds * 1000 }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
