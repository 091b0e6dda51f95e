import Foundation
import Informer
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Fans the cache out to browser sessions. It never asks the cluster for the pod table: pattern
/// changes and watched changes are answered from the in-memory index; events and terminations
/// come from the store; logs and metrics are fetched on demand and shared between sessions
/// looking at the same pod (`LogStreams`, `MetricsPoller`).
///
/// Refresh contract (DESIGN.md): a `pods` message reaches each subscribed client at least every
/// 5 s, in the same request cycle as a pattern change, and within the debounce after a watched
/// change.
final class Hub: Service, Sendable {
    let cache: ClusterCache
    let pattern: PatternState
    let status: @Sendable () -> ClusterStatus
    let logs: LogStreams
    let metrics: MetricsPoller
    let logger: Logger
    let refreshInterval: Duration
    let debounce: Duration
    /// Each informer's health as it changes: a table that becomes complete (or stale, or
    /// narrowed to a namespace) is pushed at once, not at the next refresh.
    let healthUpdates: [@Sendable () -> AsyncStream<InformerHealth>]
    /// A pattern pass over the index may take this long before it is refused. PCRE2's match
    /// limit already bounds each name; this bounds the whole pass on a loaded machine.
    static let matchBudget: Duration = .milliseconds(500)
    private let sessions = Mutex<[Int: ClientSession]>([:])
    private let nextID = Mutex(1)

    init(cache: ClusterCache, pattern: PatternState, status: @escaping @Sendable () -> ClusterStatus,
         logs: LogStreams, metrics: MetricsPoller, logger: Logger,
         healthUpdates: [@Sendable () -> AsyncStream<InformerHealth>] = [],
         refreshInterval: Duration = .seconds(5), debounce: Duration = .milliseconds(100)) {
        self.healthUpdates = healthUpdates
        self.cache = cache
        self.pattern = pattern
        self.status = status
        self.logs = logs
        self.metrics = metrics
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.debounce = debounce
    }

    // MARK: Sessions

    func connect() -> ClientSession {
        let id = nextID.withLock { n in defer { n += 1 }; return n }
        let session = ClientSession(id: id)
        sessions.withLock { $0[id] = session }
        return session
    }

    func disconnect(_ session: ClientSession) {
        sessions.withLock { $0[session.id] = nil }
        logs.unsubscribeAll(session)
        session.close()
    }

    var sessionCount: Int { sessions.withLock { $0.count } }
    private var allSessions: [ClientSession] { sessions.withLock { Array($0.values) } }

    // MARK: Pattern

    /// Compiles and checks the pattern against the index, then makes it current and sends every
    /// subscribed client its `pods` message before returning.
    func setPattern(_ text: String) throws(PatternError) -> Int {
        let result = try cache.index.pods(matching: text, budget: Self.matchBudget)
        let generation = pattern.set(text)
        let message = podsMessage(pattern: text, rows: result.pods, order: PodsOrder(generation: generation, seq: result.seq))
        for session in allSessions where session.snapshot.wantsPods {
            message.send(to: session)
        }
        return result.pods.count
    }

    func resetPattern() {
        let generation = pattern.set(nil)
        for session in allSessions where session.snapshot.wantsPods { session.sendAwaitingPattern(generation: generation) }
    }

    private func podsMessage(pattern: String, rows: [PodRow], order: PodsOrder) -> PodsMessage {
        let s = status()
        return PodsMessage(rows: rows, order: order, meta: .init(
            pattern: pattern, total: cache.index.snapshot().count, synced: s.synced, stale: s.stale,
            scopeNamespace: s.watchedNamespace, reducedScope: s.reducedScope, scopeMessage: s.message))
    }

    /// The current `pods` message, or nil when there is no pattern. A pattern that cannot be
    /// answered any more (time budget) is reported to the client instead of hanging.
    private func currentPods() -> Result<PodsMessage, PatternError>? {
        let (current, generation) = pattern.snapshot
        guard let text = current else { return nil }
        do {
            let result = try cache.index.pods(matching: text, budget: Self.matchBudget)
            return .success(podsMessage(pattern: text, rows: result.pods, order: PodsOrder(generation: generation, seq: result.seq)))
        } catch {
            return .failure(error)
        }
    }

    func publishPods(to targets: [ClientSession]) {
        let targets = targets.filter { $0.snapshot.wantsPods }
        guard !targets.isEmpty else { return }
        switch currentPods() {
        case nil:
            let generation = pattern.snapshot.generation
            for session in targets { session.sendAwaitingPattern(generation: generation) }
        case .success(let message)?:
            for session in targets { message.send(to: session) }
        case .failure(let error)?:
            var w = JSONWriter()
            w.raw("{\"type\":\"error\",\"message\":")
            w.string("The pattern could not be matched: \(error)")
            w.raw("}")
            for session in targets { session.send(w.text) }
        }
    }

    // MARK: Client messages

    func receive(_ text: String, from session: ClientSession) async {
        let message: ClientMessage
        do {
            message = try ClientMessage.parse(text)
        } catch {
            sendError(error.message, to: session)
            return
        }
        switch message {
        case .subscribePods:
            session.state.withLock { $0.wantsPods = true }
            publishPods(to: [session])
        case .focus(nil, _):
            session.state.withLock { $0.focus = nil; $0.focusUID = nil }
            logs.unsubscribeAll(session)
        case .focus(let name?, let namespace):
            guard let row = resolve(name, namespace: namespace, for: session) else { return }
            session.state.withLock {
                $0.focus = row.key
                $0.focusUID = row.uid
                $0.focusEventSeq = 0
                $0.focusRowSeq = 0
            }
            logs.unsubscribeAll(session)
            publishPods(to: [session])
            await sendFocusedView(to: session)
            await metrics.sendNow(to: session, pod: row.key)
        case .subscribeLogs(let request):
            guard let row = resolve(request.pod, namespace: request.namespace, for: session) else { return }
            logs.subscribe(session, to: LogKey(namespace: row.namespace, pod: row.name, container: request.container,
                                                tailLines: request.tailLines, previous: request.previous,
                                                timestamps: request.timestamps))
        case .unsubscribeLogs(let request):
            let namespace = request.namespace ?? session.snapshot.focus?.namespace ?? ""
            logs.unsubscribe(session, from: LogKey(namespace: namespace, pod: request.pod, container: request.container,
                                                   tailLines: request.tailLines, previous: request.previous,
                                                   timestamps: request.timestamps))
        }
    }

    /// A pod named by namespace and name, or by a bare name when that is unique.
    private func resolve(_ name: String, namespace: String?, for session: ClientSession) -> PodRow? {
        let index = cache.index.snapshot()
        if let namespace {
            if let row = index.pod(namespace: namespace, name: name) { return row }
            sendError("pod \(namespace)/\(name) is not in the cache (deleted, or outside the watched scope)", to: session)
            return nil
        }
        switch index.pods(named: name) {
        case .unique(let row): return row
        case .none:
            sendError("no pod named \(name) in the cache", to: session)
        case .ambiguous(let rows):
            sendError("\(rows.count) pods are named \(name) (in \(rows.map(\.namespace).joined(separator: ", "))): say which namespace", to: session)
        }
        return nil
    }

    func sendError(_ message: String, to session: ClientSession) {
        var w = JSONWriter()
        w.raw("{\"type\":\"error\",\"message\":")
        w.string(message)
        w.raw("}")
        session.send(w.text)
    }

    // MARK: Focus

    /// Sends the focused pod's view (from the store, so a deleted pod's last state stays
    /// viewable) and its events: the whole history the first time, then only what changed.
    func sendFocusedView(to session: ClientSession) async {
        let state = session.snapshot
        guard let key = state.focus, let uid = state.focusUID else { return }
        let row = cache.index.snapshot().pod(namespace: key.namespace, name: key.name)
        let stillSame = row?.uid == uid
        if (row?.seq ?? 0) != state.focusRowSeq || !stillSame || state.focusRowSeq == 0 {
            do {
                if let stored = try await cache.storedPod(uid: uid),
                   case .pod(let pod, _) = try SimdDecodingEngine.shared.decodeObject(stored.json, resource: .pods) {
                    let terminations = try await cache.terminations(podUID: uid)
                    session.send(PodView.message(pod: pod, row: stillSame ? row : nil, stored: stored,
                                                 terminations: terminations, now: Date()))
                    session.state.withLock { $0.focusRowSeq = stillSame ? (row?.seq ?? 0) : UInt64.max }
                }
            } catch {
                logger.warning("focused pod could not be read from the cache", metadata: ["pod": "\(key)", "error": "\(error)"])
            }
        }
        do {
            let first = state.focusEventSeq == 0
            let events = try await cache.events(podUID: uid, changedAfter: first ? nil : state.focusEventSeq)
            guard !events.isEmpty || first else { return }
            let now = Date()
            if first {
                session.send(EventMessages.history(events, pod: key, now: now))
            } else {
                for event in events.reversed() { session.send(EventMessages.single(event, pod: key, now: now)) }
            }
            let newest = events.map(\.seq).max() ?? 0
            session.state.withLock { $0.focusEventSeq = max($0.focusEventSeq, newest, 1) }
        } catch {
            logger.warning("events could not be read from the cache", metadata: ["pod": "\(key)", "error": "\(error)"])
        }
    }

    // MARK: Service

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followChanges() }
            group.addTask { await self.refreshPeriodically() }
            for updates in healthUpdates {
                group.addTask { await self.followHealth(updates()) }
            }
            group.addTask { await self.logs.run() }
            group.addTask { await self.metrics.run(sessions: { self.allSessions }) }
            // Runs until the service group shuts down (or this task is cancelled).
            try? await gracefulShutdown()
            logs.finish()
            group.cancelAll()
        }
        for session in allSessions { session.close() }
    }

    /// Pushes changes at most once per `debounce`: the first change after a quiet spell goes
    /// out at once (a relist's whole table, a single restart), and a burst of watch events
    /// that follows is folded into one message at the end of the interval.
    private func followChanges() async {
        var last = cache.latestChange
        let clock = ContinuousClock()
        var lastPush = clock.now - debounce
        for await _ in cache.changes() {
            if Task.isCancelled { return }
            let quietUntil = lastPush + debounce
            if clock.now < quietUntil {
                try? await Task.sleep(until: quietUntil, clock: clock)
            }
            lastPush = clock.now
            let current = cache.latestChange
            let podsChanged = current.podSeq != last.podSeq
            let eventsChanged = current.eventSeq != last.eventSeq
            last = current
            let sessions = allSessions
            if podsChanged { publishPods(to: sessions) }
            if podsChanged || eventsChanged {
                for session in sessions where session.snapshot.focus != nil { await sendFocusedView(to: session) }
            }
        }
    }

    private func followHealth(_ updates: AsyncStream<InformerHealth>) async {
        var shown: (synced: Bool, reduced: Bool, failing: Bool)?
        for await health in updates {
            let now = (health.synced, health.reducedScope, health.lastError != nil)
            defer { shown = now }
            guard let before = shown, before != now else { continue }
            publishPods(to: allSessions)
        }
    }

    private func refreshPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: refreshInterval) } catch { return }
            publishPods(to: allSessions)
        }
    }
}
