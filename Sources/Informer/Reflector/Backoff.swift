/// client-go's reflector backoff: 0.8 s doubling to a 30 s cap, each delay jittered into
/// [d, 2d), and reset to the start once 2 minutes pass without a backoff being needed.
/// Against a server that keeps failing this settles at one request every 30–60 s.
public struct Backoff: Sendable {
    public var initial: Duration = .milliseconds(800)
    public var factor: Double = 2
    public var cap: Duration = .seconds(30)
    public var resetAfter: Duration = .seconds(120)

    private var current: Duration?
    private var lastBackoff: ContinuousClock.Instant?

    public init() {}

    /// The next delay, advancing the sequence. `now` decides whether the sequence resets.
    public mutating func next(now: ContinuousClock.Instant, random: inout some RandomNumberGenerator) -> Duration {
        if let last = lastBackoff, now - last >= resetAfter { current = nil }
        let base: Duration
        if let c = current {
            let grown = c * factor
            base = grown > cap ? cap : grown
        } else {
            base = initial
        }
        current = base
        lastBackoff = now
        // jitter 1.0: uniformly in [base, 2·base)
        return base + base * Double.random(in: 0..<1, using: &random)
    }

    /// Forget the history (e.g. after a successful sync of a new scope).
    public mutating func reset() {
        current = nil
        lastBackoff = nil
    }
}
