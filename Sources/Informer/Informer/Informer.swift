import Foundation
import Synchronization
import Logging

/// Keeps one collection (pods or events, all namespaces or one) mirrored into an
/// `InformerStore`: the thin I/O driver around `ReflectorStateMachine`. It performs the
/// actions the machine returns (sleep, list a page, replace, watch), feeds back what
/// happened, and writes watch changes to the store in batches (one per received chunk)
/// together with the new resume point.
///
/// If a cluster-wide list or watch is forbidden (403) and a fallback namespace is given, it
/// narrows to that namespace and says so in `health.reducedScope`: never a silently empty table.
public final class Informer: Sendable {
    public struct Options: Sendable {
        public var reflector = ReflectorStateMachine.Configuration()
        /// Where to go when the cluster-wide view is forbidden (the context's namespace).
        public var fallbackNamespace: String?
        public var listDecoder = ListDecoder()
        public var engine: any DecodingEngine = SimdDecodingEngine.shared
        /// A watch silent for its timeoutSeconds plus this margin is treated as dead.
        public var watchIdleMargin: Duration = .seconds(30)
        /// Awaited before the first request. The events informer waits for the pods informer's
        /// first sync this way: on two cores, a 50,000-event list decoded alongside the pod
        /// list would double the time to the first complete pod table.
        public var startAfter: (@Sendable () async -> Void)?
        /// Asks the API server which collection to use, once, when the informer starts (after
        /// `startAfter`) rather than before: a discovery request made while kubeluma starts
        /// would hold the warm start — the cached table — behind a slow exec credential plugin
        /// or an unreachable server. The collection given to `init` is used until it answers.
        public var chooseCollection: (@Sendable (KubeClient) async -> APICollection)?
        /// Injected for tests: how to wait, what time it is, and the jitter source.
        public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        public var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        public var random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
        public init() {}
    }

    private let chosen: Mutex<APICollection>
    /// What the informer lists and watches (see `Options.chooseCollection`).
    public var collection: APICollection { chosen.withLock { $0 } }
    let client: KubeClient
    let store: any InformerStore
    let options: Options
    let logger: Logger
    let publisher: HealthPublisher

    public init(collection: APICollection, namespace: String?, client: KubeClient, store: any InformerStore,
                options: Options = Options(), logger: Logger = Logger(label: "kubeluma.informer")) {
        self.chosen = Mutex(collection)
        self.client = client
        self.store = store
        self.options = options
        var logger = logger
        let id = InformerID(resource: collection.resource, namespace: namespace)
        logger[metadataKey: "informer.resource"] = "\(id)"
        self.logger = logger
        self.publisher = HealthPublisher(InformerHealth(requested: id))
    }

    /// The latest health.
    public var health: InformerHealth { publisher.current }

    /// Returns once the informer has synced, or when `timeout` has passed, or when it stops.
    public func waitUntilSynced(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await health in self.healthUpdates() where health.synced { return }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// The current health, then each change, until `run()` returns.
    public func healthUpdates() -> AsyncStream<InformerHealth> { publisher.stream() }

    /// Runs until the task is cancelled.
    public func run() async {
        defer { publisher.finish() }
        if let startAfter = options.startAfter { await startAfter() }
        if Task.isCancelled { return }
        if let choose = options.chooseCollection {
            let collection = await choose(client)
            chosen.withLock { $0 = collection }
        }
        var scope = publisher.current.requested
        var machine = ReflectorStateMachine(configuration: options.reflector, random: options.random)
        var action = machine.start(resumeFrom: await resumePoint(scope), now: options.now())
        // Each page's items are decoded while the next page is fetched: the continue token is
        // in the page's metadata, which is read first.
        var pages: [Task<[KubeObject], any Error>] = []
        var listed = 0
        let clock = ContinuousClock()
        var listStarted = clock.now
        while !Task.isCancelled {
            publish(machine, scope: scope)
            switch action {
            case .list(let request, let delay):
                guard await wait(delay) else { return }
                if request.continueToken == nil {
                    for page in pages { page.cancel() }
                    pages.removeAll()
                    listed = 0
                    listStarted = clock.now
                }
                do {
                    let pageStarted = clock.now
                    let page = try await client.listPage(collection, namespace: scope.namespace, request, decoder: options.listDecoder)
                    let decoder = options.listDecoder, resource = collection.resource, items = page.items
                    pages.append(Task.detached { try decoder.decodeItems(items, resource: resource) })
                    listed += items.count
                    publisher.update { [listed] in $0.objectsListed = listed }
                    logger.debug("list page received", metadata: [
                        "list.items": "\(items.count)", "list.rv": "\(page.metadata.resourceVersion ?? "")",
                        "list.ms": "\((clock.now - pageStarted).milliseconds)"])
                    action = machine.listPageReceived(resourceVersion: page.metadata.resourceVersion,
                                                      continueToken: page.metadata.continue, now: options.now())
                } catch let error as KubeClientError {
                    if let narrowed = narrowedScope(after: error, from: scope) {
                        (scope, machine, action) = await restart(narrowed)
                        continue
                    }
                    logger.info("list failed", metadata: ["error": "\(error)"])
                    action = machine.listFailed(error.requestFailure, now: options.now())
                } catch {
                    return  // cancelled
                }
            case .replace(let rv):
                var objects: [KubeObject] = []
                objects.reserveCapacity(listed)
                do {
                    for page in pages { objects += try await page.value }
                } catch {
                    pages.removeAll()
                    logger.info("list items could not be decoded", metadata: ["error": "\(error)"])
                    action = machine.replaceFailed("\(error)", now: options.now())
                    continue
                }
                pages.removeAll()
                do {
                    let replaceStarted = clock.now
                    try await store.replace(scope, objects: objects, resourceVersion: rv)
                    logger.info("cache replaced", metadata: [
                        "informer.objects": "\(objects.count)", "watch.rv": "\(rv)",
                        "list.ms": "\((replaceStarted - listStarted).milliseconds)",
                        "replace.ms": "\((clock.now - replaceStarted).milliseconds)"])
                    action = machine.replaceCommitted(now: options.now())
                } catch {
                    logger.error("store replace failed", metadata: ["error": "\(error)"])
                    action = machine.replaceFailed("store: \(error)", now: options.now())
                }
            case .watch(let request, let delay, let deadline):
                guard await wait(delay) else { return }
                let outcome = await watch(request, deadline: deadline, scope: scope, machine: &machine)
                switch outcome {
                case .next(let next): action = next
                case .narrow(let narrowed): (scope, machine, action) = await restart(narrowed)
                case .cancelled: return
                }
            case .none:
                // Only returned mid-stream; at this level it means "carry on watching".
                action = machine.start(resumeFrom: machine.resourceVersion, now: options.now())
            }
        }
    }

    // MARK: Steps

    private func wait(_ delay: Duration) async -> Bool {
        if delay > .zero {
            logger.debug("backing off", metadata: ["backoff.ms": "\(delay.milliseconds)"])
            do { try await options.sleep(delay) } catch { return false }
        }
        return !Task.isCancelled
    }

    private func resumePoint(_ scope: InformerID) async -> String? {
        do {
            return try await store.resumePoint(for: scope)
        } catch {
            logger.warning("resume point unavailable", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The fallback scope when a cluster-wide request was forbidden, if there is one.
    private func narrowedScope(after error: KubeClientError, from scope: InformerID) -> InformerID? {
        guard error.statusCode == 403, scope.namespace == nil, let ns = options.fallbackNamespace else { return nil }
        return InformerID(resource: scope.resource, namespace: ns)
    }

    private func restart(_ scope: InformerID) async -> (InformerID, ReflectorStateMachine, ReflectorAction) {
        logger.warning("cluster-wide access forbidden, narrowing scope", metadata: ["informer.namespace": "\(scope.namespace ?? "")"])
        publisher.update {
            $0.informer = scope
            $0.reducedScope = true
            $0.synced = false
            $0.objectsListed = 0
        }
        var machine = ReflectorStateMachine(configuration: options.reflector, random: options.random)
        let action = machine.start(resumeFrom: await resumePoint(scope), now: options.now())
        return (scope, machine, action)
    }

    private func publish(_ machine: ReflectorStateMachine, scope: InformerID) {
        publisher.update {
            $0.informer = scope
            $0.synced = machine.hasSynced
            $0.phase = machine.phaseName
            $0.resourceVersion = machine.resourceVersion
            $0.lastError = machine.lastFailure
        }
    }
}
