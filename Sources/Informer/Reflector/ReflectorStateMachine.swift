/// The reflector's decisions (KUBERNETES-API.md §2.8) as a value type: inputs are what
/// happened (a page arrived, a watch ended, a request failed), outputs are `ReflectorAction`s
/// for a thin driver to carry out. It does no I/O and reads no clock: time comes in with each
/// input and randomness from an injected generator, so every decision is unit-testable.
///
/// Promises:
/// - LIST pages with `limit` and continue tokens form one snapshot; the watch starts from the
///   list's resourceVersion, never an item's.
/// - A watch that ends (server timeout, broken connection) resumes from the last seen
///   resourceVersion (object or bookmark) without a relist and without backoff, unless it
///   lasted under a second with no events ("very short watch": backoff and relist).
/// - 410/Expired (HTTP or ERROR event) relists "not older than" the last RV; a LIST that
///   itself gets 410 (or TooLargeResourceVersion) relists at once with the RV unset. A 410 on
///   a later page falls back to one unpaginated list at the original RV first.
/// - 429 waits at least Retry-After; other failures back off (0.8 s ×2, jitter, cap 30 s,
///   reset after 2 healthy minutes). Nothing is retried in a tight loop.
/// - With WatchList enabled the initial state comes from one `sendInitialEvents` stream,
///   committed only at the annotated bookmark; a 4xx (422 on servers without the feature),
///   a stream that ends twice without the bookmark, or a missed deadline fall back to LIST.
/// - A warm start watches from the stored RV and relists only if the server refuses it.
public struct ReflectorStateMachine: Sendable {
    public struct Configuration: Sendable {
        public var pageSize = 500
        /// `timeoutSeconds` is drawn from this range for each watch.
        public var watchTimeoutSeconds = 300..<600
        /// Try WatchList (`sendInitialEvents`) before LIST.
        public var useWatchList = false
        /// How long to wait for the end-of-initial-events bookmark before falling back to LIST.
        public var initialEventsTimeout: Duration = .seconds(60)
        /// A watch that ends sooner than this with no events counts as a failure.
        public var veryShortWatch: Duration = .seconds(1)
        public init() {}
    }

    enum Phase: Sendable {
        case idle
        case listing(ListContext)
        case committingList(resourceVersion: String)
        case watchListing(WatchListContext)
        case committingWatchList(resourceVersion: String, openedAt: ContinuousClock.Instant?)
        case watching(WatchContext)
    }

    struct ListContext: Sendable {
        var original: ListRequest
        var pagesReceived = 0
        var snapshotRV: String?
        /// Already retrying without pagination after a 410 on a later page.
        var unpaginatedFallback = false
    }

    struct WatchContext: Sendable {
        var openedAt: ContinuousClock.Instant?
        var events = 0
    }

    struct WatchListContext: Sendable {
        var attempt: Int
        var resourceVersion: String?
        var opened = false
    }

    public let configuration: Configuration
    private var phase: Phase = .idle
    private var lastRV: String?
    /// The last RV is known to be too old (or too new): the next list reads the latest state.
    private var rvUnavailable = false
    private var watchListDisabled = false
    private var backoff = Backoff()
    private var random: any RandomNumberGenerator & Sendable

    /// True once a full snapshot was committed (or a warm-start watch was accepted).
    public private(set) var hasSynced = false
    /// The most recent failure, cleared by the next successful commit or watch event.
    public private(set) var lastFailure: String?

    public init(configuration: Configuration = Configuration(), random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        self.random = random
    }

    /// The resume point: the last resourceVersion seen in a committed list or a watch event.
    public var resourceVersion: String? { lastRV }

    /// A short name of what the reflector is doing, for health reporting.
    public var phaseName: String {
        switch phase {
        case .idle: "idle"
        case .listing: "listing"
        case .committingList, .committingWatchList: "committing"
        case .watchListing: "streaming initial state"
        case .watching: "watching"
        }
    }

    // MARK: Inputs

    /// Starts the reflector. With a stored resourceVersion (warm start) it watches from it;
    /// otherwise it lists (or tries WatchList).
    public mutating func start(resumeFrom storedRV: String?, now: ContinuousClock.Instant) -> ReflectorAction {
        if let storedRV, !storedRV.isEmpty {
            lastRV = storedRV
            return startWatch(after: .zero)
        }
        return relist(after: .zero)
    }

    /// A LIST page arrived (its objects are with the driver).
    public mutating func listPageReceived(resourceVersion: String?, continueToken: String?, now: ContinuousClock.Instant) -> ReflectorAction {
        guard case .listing(var ctx) = phase else { return .none }
        ctx.pagesReceived += 1
        if ctx.snapshotRV == nil, let rv = resourceVersion, !rv.isEmpty { ctx.snapshotRV = rv }
        if let token = continueToken, !token.isEmpty, !ctx.unpaginatedFallback {
            // Later pages omit resourceVersion: the token carries the snapshot.
            phase = .listing(ctx)
            return .list(ListRequest(limit: ctx.original.limit ?? configuration.pageSize, continueToken: token), after: .zero)
        }
        guard let rv = ctx.snapshotRV else {
            return fail("list response has no resourceVersion", now: now, then: .relist)
        }
        phase = .committingList(resourceVersion: rv)
        return .replace(resourceVersion: rv)
    }

    /// A LIST page request failed.
    public mutating func listFailed(_ failure: RequestFailure, now: ContinuousClock.Instant) -> ReflectorAction {
        guard case .listing(var ctx) = phase else { return .none }
        lastFailure = failure.description
        let status = failure.status
        if case .status(let s, let retryAfter) = failure, s.code == 429 {
            return beginList(after: max(retryAfter ?? .zero, nextBackoff(now: now)))
        }
        if let status, status.isExpired || status.isTooLargeResourceVersion {
            if ctx.pagesReceived > 0 && !ctx.unpaginatedFallback && status.isExpired {
                // The continue token expired: never build a cache from an "inconsistent"
                // continuation; read the same snapshot again in one response.
                ctx.unpaginatedFallback = true
                ctx.pagesReceived = 0
                ctx.snapshotRV = nil
                phase = .listing(ctx)
                return .list(ListRequest(resourceVersion: ctx.original.resourceVersion,
                                         resourceVersionMatch: ctx.original.resourceVersionMatch), after: .zero)
            }
            if ctx.original.resourceVersion != nil || ctx.unpaginatedFallback {
                rvUnavailable = true
                return beginList(after: .zero)
            }
        }
        return fail(failure, now: now, then: .relist)
    }

    /// The driver committed the `.replace` it was asked for.
    public mutating func replaceCommitted(now: ContinuousClock.Instant) -> ReflectorAction {
        switch phase {
        case .committingList(let rv):
            lastRV = rv
            rvUnavailable = false
            hasSynced = true
            lastFailure = nil
            return startWatch(after: .zero)
        case .committingWatchList(let rv, let openedAt):
            lastRV = rv
            rvUnavailable = false
            hasSynced = true
            lastFailure = nil
            // The same stream carries on as a normal watch; the initial burst counts as events.
            phase = .watching(WatchContext(openedAt: openedAt, events: 1))
            return .none
        default:
            return .none
        }
    }

    /// The store refused the replace: back off and read everything again.
    public mutating func replaceFailed(_ message: String, now: ContinuousClock.Instant) -> ReflectorAction {
        fail(RequestFailure.decoding(message), now: now, then: .relist)
    }

    /// The watch response headers arrived with 200.
    public mutating func watchOpened(now: ContinuousClock.Instant) {
        switch phase {
        case .watching(var ctx):
            ctx.openedAt = now
            phase = .watching(ctx)
            // Warm start: the store already holds a snapshot, and the server accepted its RV
            // (a 410 arrives as the first event and undoes this).
            if lastRV != nil { hasSynced = true }
            // The server answers again: the cache is being kept current, whatever failed before.
            lastFailure = nil
        case .watchListing(var ctx):
            ctx.opened = true
            phase = .watchListing(ctx)
        default:
            break
        }
    }

    /// One event from the open watch.
    public mutating func watchEventReceived(_ event: ObservedWatchEvent, now: ContinuousClock.Instant) -> ReflectorAction {
        switch phase {
        case .watching(var ctx):
            switch event {
            case .object(_, let rv):
                ctx.events += 1
                if let rv, !rv.isEmpty { lastRV = rv }
                lastFailure = nil
                phase = .watching(ctx)
                return .none
            case .bookmark(let rv, _):
                ctx.events += 1
                lastRV = rv
                phase = .watching(ctx)
                return .none
            case .error(let status):
                return watchFailed(status, retryAfter: status.details?.retryAfterSeconds.map { .seconds($0) }, now: now)
            }
        case .watchListing(let ctx):
            switch event {
            case .object:
                // Initial events arrive in no RV order: none of them is a resume point.
                return .none
            case .bookmark(let rv, let end):
                guard end else { return .none }
                phase = .committingWatchList(resourceVersion: rv, openedAt: now)
                return .replace(resourceVersion: rv)
            case .error(let status):
                return watchListFailed(.status(status, retryAfter: nil), ctx: ctx, now: now)
            }
        default:
            return .none
        }
    }

    /// The open watch ended.
    public mutating func watchEnded(_ end: WatchEnd, now: ContinuousClock.Instant) -> ReflectorAction {
        switch phase {
        case .watching(let ctx):
            if case .decodingFailed(let message) = end {
                return fail(RequestFailure.decoding(message), now: now, then: .relist)
            }
            if ctx.events == 0, let opened = ctx.openedAt, now - opened < configuration.veryShortWatch {
                return fail("very short watch: closed in under \(configuration.veryShortWatch) with no events", now: now, then: .relist)
            }
            return startWatch(after: .zero)
        case .watchListing(let ctx):
            lastFailure = "watch-list stream ended before the initial-events bookmark"
            if ctx.attempt < 2 {
                return startWatchList(attempt: ctx.attempt + 1, after: nextBackoff(now: now))
            }
            watchListDisabled = true
            return beginList(after: .zero)
        default:
            return .none
        }
    }

    /// The watch request got no 200.
    public mutating func watchOpenFailed(_ failure: RequestFailure, now: ContinuousClock.Instant) -> ReflectorAction {
        switch phase {
        case .watching:
            lastFailure = failure.description
            switch failure {
            case .connection:
                // Refused or unreachable: the cache is still valid, so re-watch after backoff.
                return startWatch(after: nextBackoff(now: now))
            case .status(let status, let retryAfter):
                return watchFailed(status, retryAfter: retryAfter, now: now)
            case .decoding:
                return fail(failure, now: now, then: .relist)
            }
        case .watchListing(let ctx):
            return watchListFailed(failure, ctx: ctx, now: now)
        default:
            return .none
        }
    }

    /// The WatchList deadline passed without the end-of-initial-events bookmark.
    public mutating func initialEventsTimedOut(now: ContinuousClock.Instant) -> ReflectorAction {
        guard case .watchListing = phase else { return .none }
        lastFailure = "no initial-events bookmark within \(configuration.initialEventsTimeout)"
        watchListDisabled = true
        return beginList(after: .zero)
    }

    // MARK: Transitions

    enum Then { case relist, rewatch }

    private mutating func watchFailed(_ status: KubeStatus, retryAfter: Duration?, now: ContinuousClock.Instant) -> ReflectorAction {
        lastFailure = status.description
        if status.code == 429 {
            let delay = max(retryAfter ?? .zero, nextBackoff(now: now))
            return startWatch(after: delay)
        }
        if status.isTooLargeResourceVersion { rvUnavailable = true }
        // 410: the next list reads "not older than" lastRV; if that 410s too, listFailed
        // switches to the latest state.
        return relist(after: nextBackoff(now: now))
    }

    private mutating func watchListFailed(_ failure: RequestFailure, ctx: WatchListContext, now: ContinuousClock.Instant) -> ReflectorAction {
        lastFailure = failure.description
        switch failure {
        case .status(let status, let retryAfter):
            if (status.isExpired || status.isTooLargeResourceVersion) && ctx.resourceVersion != nil {
                rvUnavailable = true
                return startWatchList(attempt: ctx.attempt, after: .zero)
            }
            if status.code == 429 {
                return startWatchList(attempt: ctx.attempt, after: max(retryAfter ?? .zero, nextBackoff(now: now)))
            }
            // 422 (feature off, or too old a server) and anything else: use LIST from now on.
            watchListDisabled = true
            return beginList(after: .zero)
        case .connection:
            return startWatchList(attempt: ctx.attempt, after: nextBackoff(now: now))
        case .decoding:
            watchListDisabled = true
            return beginList(after: nextBackoff(now: now))
        }
    }

    private mutating func fail(_ failure: RequestFailure, now: ContinuousClock.Instant, then: Then) -> ReflectorAction {
        fail(failure.description, now: now, then: then)
    }

    private mutating func fail(_ message: String, now: ContinuousClock.Instant, then: Then) -> ReflectorAction {
        lastFailure = message
        let delay = nextBackoff(now: now)
        switch then {
        case .relist: return relist(after: delay)
        case .rewatch: return startWatch(after: delay)
        }
    }

    private mutating func relist(after delay: Duration) -> ReflectorAction {
        if configuration.useWatchList && !watchListDisabled {
            return startWatchList(attempt: 1, after: delay)
        }
        return beginList(after: delay)
    }

    private mutating func beginList(after delay: Duration) -> ReflectorAction {
        let request: ListRequest
        if rvUnavailable || lastRV == nil {
            request = ListRequest(limit: configuration.pageSize)
        } else {
            // An explicit RV without limit: "not older than", servable from the watch cache.
            request = ListRequest(resourceVersion: lastRV)
        }
        phase = .listing(ListContext(original: request))
        return .list(request, after: delay)
    }

    private mutating func startWatch(after delay: Duration) -> ReflectorAction {
        phase = .watching(WatchContext())
        let timeout = Int.random(in: configuration.watchTimeoutSeconds, using: &random)
        return .watch(WatchRequest(resourceVersion: lastRV, timeoutSeconds: timeout), after: delay, initialEventsDeadline: nil)
    }

    private mutating func startWatchList(attempt: Int, after delay: Duration) -> ReflectorAction {
        let rv = rvUnavailable ? nil : lastRV
        phase = .watchListing(WatchListContext(attempt: attempt, resourceVersion: rv))
        let timeout = Int.random(in: configuration.watchTimeoutSeconds, using: &random)
        return .watch(WatchRequest(resourceVersion: rv, timeoutSeconds: timeout, sendInitialEvents: true,
                                   resourceVersionMatch: "NotOlderThan"),
                      after: delay, initialEventsDeadline: configuration.initialEventsTimeout)
    }

    private mutating func nextBackoff(now: ContinuousClock.Instant) -> Duration {
        backoff.next(now: now, random: &random)
    }
}
