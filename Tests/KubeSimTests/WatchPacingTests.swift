import Testing
@testable import KubeSim

/// `watchEventsPerSecond`: one schedule for all watches, evenly spaced, without hoarding.
@Suite struct WatchPacingTests {
    let start = ContinuousClock.now

    @Test func unpacedWatchesNeverWait() {
        let faults = Faults()
        for _ in 0..<100 { #expect(faults.watchChangeDelay(now: start) == nil) }
    }

    @Test func changesAreSpacedByTheRateAndShortWaitsAreNotTaken() {
        let faults = Faults()
        faults.set { $0.watchEventsPerSecond = 1_000 }
        // Asked at the same instant: the k-th change is due k ms later; under 2 ms goes at once.
        let delays = (0..<5).map { _ in faults.watchChangeDelay(now: start) }
        #expect(delays == [nil, nil, .milliseconds(2), .milliseconds(3), .milliseconds(4)])
    }

    @Test func anIdleScheduleGivesNoBurstCredit() {
        let faults = Faults()
        faults.set { $0.watchEventsPerSecond = 1_000 }
        _ = faults.watchChangeDelay(now: start)
        // A second of silence, then five at once: spaced from now, not sent as saved-up credit.
        let later = start + .seconds(1)
        let delays = (0..<5).map { _ in faults.watchChangeDelay(now: later) }
        #expect(delays == [nil, nil, .milliseconds(2), .milliseconds(3), .milliseconds(4)])
    }
}
