import Foundation
import Synchronization

/// Failures a test can switch on, each consumed by the requests it affects. They apply to API
/// paths only, never to the `/_sim/` control paths.
public struct FaultPlan: Sendable, Codable {
    /// The next N watch requests get a 200 with one ERROR event (410 Expired) and end.
    public var expireWatches = 0
    /// The next N API requests get 429 with this Retry-After.
    public var throttle = 0
    public var retryAfterSeconds = 1
    /// The next N API requests get a 500 Status.
    public var serverErrors = 0
    /// Added before every API response.
    public var latencyMilliseconds = 0
    /// Every watch ends as soon as it opens (a misbehaving server or proxy).
    public var closeWatchesAtOnce = false
    /// Watches neither replay nor send anything and never end (a dead connection).
    public var silentWatches = false
    /// At most this many watch changes a second, across all watches (0: as fast as clients
    /// read): a steady feed at a known rate, to measure what a client spends to keep up with it.
    public var watchEventsPerSecond = 0
    public init() {}

    /// Fields left out of a `/_sim/faults` body keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        expireWatches = try c.decodeIfPresent(Int.self, forKey: .expireWatches) ?? 0
        throttle = try c.decodeIfPresent(Int.self, forKey: .throttle) ?? 0
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        serverErrors = try c.decodeIfPresent(Int.self, forKey: .serverErrors) ?? 0
        latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        closeWatchesAtOnce = try c.decodeIfPresent(Bool.self, forKey: .closeWatchesAtOnce) ?? false
        silentWatches = try c.decodeIfPresent(Bool.self, forKey: .silentWatches) ?? false
        watchEventsPerSecond = try c.decodeIfPresent(Int.self, forKey: .watchEventsPerSecond) ?? 0
    }
}

final class Faults: Sendable {
    private let plan = Mutex(FaultPlan())
    /// When the next paced watch change is due.
    private let nextWatchChange = Mutex<ContinuousClock.Instant?>(nil)

    func set(_ update: (inout FaultPlan) -> Void) { plan.withLock { update(&$0) } }
    var current: FaultPlan { plan.withLock { $0 } }

    enum Decision { case proceed, throttle(Int), serverError, expireWatch }

    func decide(isWatch: Bool) -> Decision {
        plan.withLock { p in
            if p.throttle > 0 { p.throttle -= 1; return .throttle(p.retryAfterSeconds) }
            if p.serverErrors > 0 { p.serverErrors -= 1; return .serverError }
            if isWatch && p.expireWatches > 0 { p.expireWatches -= 1; return .expireWatch }
            return .proceed
        }
    }

    /// How long to hold the next watch change back under `watchEventsPerSecond`, or nil to send
    /// it now. Changes are spaced evenly from one schedule shared by all watches; waits under
    /// 2 ms are not taken, so a fast feed goes out in small bursts rather than one sleep each.
    func watchChangeDelay(now: ContinuousClock.Instant = .now) -> Duration? {
        let rate = current.watchEventsPerSecond
        guard rate > 0 else { return nil }
        let wait = nextWatchChange.withLock { next -> Duration in
            let slot = max(now, next ?? now)
            next = slot + .seconds(1) / rate
            return slot - now
        }
        return wait >= .milliseconds(2) ? wait : nil
    }
}
