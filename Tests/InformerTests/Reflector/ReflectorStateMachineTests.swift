import Foundation
import Testing
@testable import Informer

/// The reflector's decisions against the KUBERNETES-API.md §9 checklist (items named in each test).
@Suite struct ReflectorStateMachineTests {
    let t0 = ContinuousClock.now

    func machine(watchList: Bool = false, seed: UInt64 = 1) -> ReflectorStateMachine {
        var config = ReflectorStateMachine.Configuration()
        config.useWatchList = watchList
        return ReflectorStateMachine(configuration: config, random: SeededRandom(seed: seed))
    }

    func status(_ code: Int, _ reason: String, causes: [String] = []) -> KubeStatus {
        var s = KubeStatus(code: code, reason: reason, message: "m")
        if !causes.isEmpty {
            let json = #"{"kind":"Status","code":\#(code),"reason":"\#(reason)","details":{"causes":[\#(causes.map { #"{"reason":"\#($0)"}"# }.joined(separator: ","))]}}"#
            s = try! KubeJSON.makeDecoder().decode(KubeStatus.self, from: Data(json.utf8))
        }
        return s
    }

    /// Drives a fresh machine through a one-page list at `rv` into an open watch.
    func watching(_ m: inout ReflectorStateMachine, rv: String = "100", at now: ContinuousClock.Instant) {
        _ = m.start(resumeFrom: nil, now: now)
        _ = m.listPageReceived(resourceVersion: rv, continueToken: nil, now: now)
        _ = m.replaceCommitted(now: now)
        m.watchOpened(now: now)
    }

    func watchRequest(_ a: ReflectorAction) -> (WatchRequest, Duration)? {
        if case .watch(let r, let d, _) = a { return (r, d) }
        return nil
    }

    func listRequest(_ a: ReflectorAction) -> (ListRequest, Duration)? {
        if case .list(let r, let d) = a { return (r, d) }
        return nil
    }

    // MARK: List and pagination

    @Test func paginatesThenWatchesFromTheListResourceVersionNotAnItems() {  // item 1
        var m = machine()
        #expect(m.start(resumeFrom: nil, now: t0) == .list(ListRequest(limit: 500), after: .zero))
        #expect(m.listPageReceived(resourceVersion: "558", continueToken: "tok1", now: t0)
                == .list(ListRequest(limit: 500, continueToken: "tok1"), after: .zero))
        #expect(m.listPageReceived(resourceVersion: "558", continueToken: "tok2", now: t0)
                == .list(ListRequest(limit: 500, continueToken: "tok2"), after: .zero))
        #expect(m.listPageReceived(resourceVersion: "558", continueToken: nil, now: t0) == .replace(resourceVersion: "558"))
        #expect(!m.hasSynced)
        let (watch, delay) = watchRequest(m.replaceCommitted(now: t0))!
        #expect(watch.resourceVersion == "558")
        #expect(watch.allowWatchBookmarks)
        #expect(delay == .zero)
        #expect(m.hasSynced)
    }

    @Test func serverIgnoringLimitGivesOneCompletePage() {  // item 2
        var m = machine()
        _ = m.start(resumeFrom: nil, now: t0)
        #expect(m.listPageReceived(resourceVersion: "9", continueToken: nil, now: t0) == .replace(resourceVersion: "9"))
    }

    @Test func emptyPageWithContinueTokenKeepsPaging() {  // item 3
        var m = machine()
        _ = m.start(resumeFrom: nil, now: t0)
        #expect(listRequest(m.listPageReceived(resourceVersion: "9", continueToken: "more", now: t0))?.0.continueToken == "more")
    }

    @Test func expiredContinueTokenFallsBackToOneUnpaginatedListAtTheOriginalVersion() {  // items 4, 5
        var m = machine()
        _ = m.start(resumeFrom: nil, now: t0)
        _ = m.listPageReceived(resourceVersion: "558", continueToken: "tok1", now: t0)
        // The 410 Status carries a fresh "inconsistent" token: it must not be used.
        let action = m.listFailed(.status(status(410, "Expired"), retryAfter: nil), now: t0)
        #expect(action == .list(ListRequest(), after: .zero))
        #expect(m.listPageReceived(resourceVersion: "600", continueToken: nil, now: t0) == .replace(resourceVersion: "600"))
    }

    @Test func relistAtLastVersionThatExpiresRelistsWithVersionUnset() {  // items 6, 21
        var m = machine()
        watching(&m, at: t0)
        let (relist, delay) = listRequest(m.watchEventReceived(.error(status(410, "Expired")), now: t0))!
        #expect(relist == ListRequest(resourceVersion: "100"))
        #expect(delay >= .milliseconds(800) && delay < .milliseconds(1600))
        #expect(m.listFailed(.status(status(410, "Expired"), retryAfter: nil), now: t0) == .list(ListRequest(limit: 500), after: .zero))
    }

    @Test func tooLargeResourceVersionRelistsWithVersionUnset() {  // item 7
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEventReceived(.error(status(410, "Gone")), now: t0)
        let action = m.listFailed(.status(status(504, "Timeout", causes: ["ResourceVersionTooLarge"]), retryAfter: .seconds(1)), now: t0)
        #expect(action == .list(ListRequest(limit: 500), after: .zero))
    }

    @Test func listFailureBacksOffAndRetriesTheSameList() {
        var m = machine()
        _ = m.start(resumeFrom: nil, now: t0)
        let (req, delay) = listRequest(m.listFailed(.status(status(500, "InternalError"), retryAfter: nil), now: t0))!
        #expect(req == ListRequest(limit: 500))
        #expect(delay >= .milliseconds(800))
        #expect(m.lastFailure?.contains("500") == true)
    }

    @Test func listThrottledWaitsForRetryAfter() {
        var m = machine()
        _ = m.start(resumeFrom: nil, now: t0)
        let (_, delay) = listRequest(m.listFailed(.status(status(429, "TooManyRequests"), retryAfter: .seconds(7)), now: t0))!
        #expect(delay >= .seconds(7))
    }

    // MARK: Watch events and lifecycle

    @Test func serverTimeoutResumesFromLastVersionWithoutRelistOrBackoff() {  // item 19
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEventReceived(.object(.modified, resourceVersion: "120"), now: t0)
        let (req, delay) = watchRequest(m.watchEnded(.closed, now: t0 + .seconds(400)))!
        #expect(req.resourceVersion == "120")
        #expect(delay == .zero)
    }

    @Test func droppedConnectionResumesFromLastVersionWithoutRelist() {  // item 20
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEventReceived(.object(.added, resourceVersion: "130"), now: t0)
        let (req, delay) = watchRequest(m.watchEnded(.connectionLost, now: t0 + .seconds(2)))!
        #expect(req.resourceVersion == "130")
        #expect(delay == .zero)
    }

    @Test func bookmarksAdvanceTheResumePoint() {  // items 15, 28
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEventReceived(.object(.modified, resourceVersion: "120"), now: t0)
        #expect(m.watchEventReceived(.bookmark(resourceVersion: "980", initialEventsEnd: false), now: t0 + .seconds(60)) == .none)
        #expect(m.resourceVersion == "980")
        #expect(watchRequest(m.watchEnded(.closed, now: t0 + .seconds(600)))?.0.resourceVersion == "980")
    }

    @Test(arguments: ["Expired", "Gone"])
    func errorEvent410RelistsNotOlderThanLastVersion(reason: String) {  // items 21, 22
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEventReceived(.object(.modified, resourceVersion: "150"), now: t0)
        #expect(listRequest(m.watchEventReceived(.error(status(410, reason)), now: t0))?.0 == ListRequest(resourceVersion: "150"))
    }

    @Test func http410OnTheWatchRequestRelists() {  // item 23
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEnded(.closed, now: t0 + .seconds(300))
        #expect(listRequest(m.watchOpenFailed(.status(status(410, "Expired"), retryAfter: nil), now: t0 + .seconds(300)))?.0
                == ListRequest(resourceVersion: "100"))
    }

    @Test func refusedConnectionBacksOffAndRewatchesWithoutRelist() {  // item 24
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEnded(.connectionLost, now: t0 + .seconds(30))
        let (req, delay) = watchRequest(m.watchOpenFailed(.connection("refused"), now: t0 + .seconds(30)))!
        #expect(req.resourceVersion == "100")
        #expect(delay >= .milliseconds(800) && delay < .milliseconds(1600))
    }

    @Test func throttledWatchWaitsForRetryAfterThenRewatches() {  // item 25
        var m = machine()
        watching(&m, at: t0)
        _ = m.watchEnded(.closed, now: t0 + .seconds(300))
        let (req, delay) = watchRequest(m.watchOpenFailed(.status(status(429, "TooManyRequests"), retryAfter: .seconds(3)), now: t0 + .seconds(300)))!
        #expect(req.resourceVersion == "100")
        #expect(delay >= .seconds(3))
    }

    @Test func repeatedVeryShortWatchesBackOffUpToTheCapWithoutAHotLoop() {  // item 26
        var m = machine()
        var now = t0
        watching(&m, at: now)
        var delays: [Duration] = []
        for _ in 0..<12 {
            now = now + .milliseconds(100)
            guard let (_, delay) = listRequest(m.watchEnded(.closed, now: now)) else {
                Issue.record("a very short watch must lead to a relist"); return
            }
            delays.append(delay)
            now = now + delay
            _ = m.listPageReceived(resourceVersion: "100", continueToken: nil, now: now)
            _ = m.replaceCommitted(now: now)
            m.watchOpened(now: now)
        }
        var base = 0.8
        for d in delays {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            #expect(seconds >= base && seconds < 2 * base, "delay \(seconds) for base \(base)")
            base = min(base * 2, 30)
        }
        #expect(delays.last! >= .seconds(30))
    }

    @Test func backoffResetsAfterTwoHealthyMinutes() {  // item 27
        var m = machine()
        var now = t0
        watching(&m, at: now)
        _ = m.watchOpenFailed(.connection("refused"), now: now)
        let second = watchRequest(m.watchOpenFailed(.connection("refused"), now: now + .seconds(2)))!.1
        #expect(second >= .milliseconds(1600))
        now = now + .seconds(200)
        m.watchOpened(now: now)
        _ = m.watchEventReceived(.object(.modified, resourceVersion: "101"), now: now)
        _ = m.watchEnded(.connectionLost, now: now + .seconds(10))
        let afterHealthy = watchRequest(m.watchOpenFailed(.connection("refused"), now: now + .seconds(10)))!.1
        #expect(afterHealthy < .milliseconds(1600))
    }

    @Test func watchTimeoutIsRandomisedWithinFiveToTenMinutes() {  // item 30
        var m = machine(seed: 99)
        watching(&m, at: t0)
        var timeouts = Set<Int>()
        for i in 0..<200 {
            let now = t0 + .seconds(10 * (i + 1))
            m.watchOpened(now: now)
            let (req, _) = watchRequest(m.watchEnded(.closed, now: now + .seconds(5)))!
            #expect((300..<600).contains(req.timeoutSeconds))
            timeouts.insert(req.timeoutSeconds)
        }
        #expect(timeouts.count > 100)
    }

    @Test func undecodableEventBacksOffAndRelists() {  // item 16
        var m = machine()
        watching(&m, at: t0)
        let (req, delay) = listRequest(m.watchEnded(.decodingFailed("unknown watch event type"), now: t0 + .seconds(5)))!
        #expect(req == ListRequest(resourceVersion: "100"))
        #expect(delay >= .milliseconds(800))
    }

    @Test func otherErrorEventBacksOffAndRelists() {
        var m = machine()
        watching(&m, at: t0)
        #expect(listRequest(m.watchEventReceived(.error(status(500, "InternalError")), now: t0)) != nil)
    }

    // MARK: Warm start

    @Test func warmStartWatchesFromTheStoredVersionWithoutListing() {
        var m = machine()
        let (req, delay) = watchRequest(m.start(resumeFrom: "4242", now: t0))!
        #expect(req.resourceVersion == "4242")
        #expect(!req.sendInitialEvents)
        #expect(delay == .zero)
        m.watchOpened(now: t0)
        #expect(m.hasSynced)
    }

    @Test func warmStartFromACompactedVersionRelists() {  // item 29
        var m = machine()
        _ = m.start(resumeFrom: "50", now: t0)
        m.watchOpened(now: t0)
        #expect(listRequest(m.watchEventReceived(.error(status(410, "Expired")), now: t0))?.0 == ListRequest(resourceVersion: "50"))
        #expect(m.listFailed(.status(status(410, "Expired"), retryAfter: nil), now: t0) == .list(ListRequest(limit: 500), after: .zero))
    }

    // MARK: WatchList

    @Test func watchListBuildsTheCacheOnlyAtTheAnnotatedBookmarkAndKeepsTheStream() {  // items 18, 36, 39
        var m = machine(watchList: true)
        guard case .watch(let req, let delay, let deadline) = m.start(resumeFrom: nil, now: t0) else {
            Issue.record("expected a watch-list request"); return
        }
        #expect(req.sendInitialEvents && req.resourceVersionMatch == "NotOlderThan" && req.resourceVersion == nil)
        #expect(delay == .zero)
        #expect(deadline == .seconds(60))
        m.watchOpened(now: t0)
        #expect(m.watchEventReceived(.object(.added, resourceVersion: "512"), now: t0) == .none)
        #expect(m.watchEventReceived(.object(.added, resourceVersion: "498"), now: t0) == .none)
        #expect(m.resourceVersion == nil)  // synthetic ADDED RVs are not resume points
        #expect(m.watchEventReceived(.bookmark(resourceVersion: "560", initialEventsEnd: false), now: t0) == .none)
        #expect(m.watchEventReceived(.bookmark(resourceVersion: "580", initialEventsEnd: true), now: t0) == .replace(resourceVersion: "580"))
        #expect(m.replaceCommitted(now: t0) == .none)
        #expect(m.resourceVersion == "580")
        #expect(m.hasSynced)
        _ = m.watchEventReceived(.object(.modified, resourceVersion: "590"), now: t0 + .seconds(1))
        let (next, _) = watchRequest(m.watchEnded(.closed, now: t0 + .seconds(400)))!
        #expect(next.resourceVersion == "590")
        #expect(!next.sendInitialEvents)
    }

    @Test func watchListRejectedWith422FallsBackToListForGood() {  // item 37
        var m = machine(watchList: true)
        _ = m.start(resumeFrom: nil, now: t0)
        #expect(m.watchOpenFailed(.status(status(422, "Invalid"), retryAfter: nil), now: t0) == .list(ListRequest(limit: 500), after: .zero))
        _ = m.listPageReceived(resourceVersion: "7", continueToken: nil, now: t0)
        _ = m.replaceCommitted(now: t0)
        m.watchOpened(now: t0)
        // A later relist uses LIST, not WatchList again.
        #expect(listRequest(m.watchEventReceived(.error(status(410, "Expired")), now: t0)) != nil)
    }

    @Test func watchListStreamEndingBeforeTheBookmarkRetriesOnceThenLists() {  // item 38
        var m = machine(watchList: true)
        _ = m.start(resumeFrom: nil, now: t0)
        m.watchOpened(now: t0)
        _ = m.watchEventReceived(.object(.added, resourceVersion: "5"), now: t0)
        let retry = m.watchEnded(.closed, now: t0 + .seconds(8))
        #expect(watchRequest(retry)?.0.sendInitialEvents == true)
        m.watchOpened(now: t0 + .seconds(10))
        #expect(m.watchEnded(.connectionLost, now: t0 + .seconds(18)) == .list(ListRequest(limit: 500), after: .zero))
        #expect(!m.hasSynced)
    }

    @Test func watchListWithoutBookmarkInTimeFallsBackToList() {
        var m = machine(watchList: true)
        _ = m.start(resumeFrom: nil, now: t0)
        m.watchOpened(now: t0)
        #expect(m.initialEventsTimedOut(now: t0 + .seconds(60)) == .list(ListRequest(limit: 500), after: .zero))
    }

    @Test func watchListExpiredRetriesAtOnceWithVersionUnset() {
        var n = machine(watchList: true)
        _ = n.start(resumeFrom: "77", now: t0)
        n.watchOpened(now: t0)
        let relist = n.watchEventReceived(.error(status(410, "Expired")), now: t0)
        #expect(watchRequest(relist)?.0.resourceVersion == "77")
        #expect(watchRequest(relist)?.0.sendInitialEvents == true)
        let again = n.watchOpenFailed(.status(status(410, "Expired"), retryAfter: nil), now: t0)
        #expect(watchRequest(again)?.0.resourceVersion == nil)
        #expect(watchRequest(again)?.1 == .zero)
    }
}
