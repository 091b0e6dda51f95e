import Foundation
import Logging

extension Informer {
    enum WatchOutcome {
        case next(ReflectorAction)
        case narrow(InformerID)
        case cancelled
    }

    /// Opens one watch and reads it until it ends or the machine decides something else.
    func watch(_ request: WatchRequest, deadline: Duration?, scope: InformerID,
               machine: inout ReflectorStateMachine) async -> WatchOutcome {
        let response: HTTPResponse
        do {
            response = try await client.watch(collection, namespace: scope.namespace, request, idleMargin: options.watchIdleMargin)
        } catch let error as KubeClientError {
            if error.statusCode == 403, scope.namespace == nil, let ns = options.fallbackNamespace {
                return .narrow(InformerID(resource: scope.resource, namespace: ns))
            }
            logger.info("watch refused", metadata: ["error": "\(error)", "watch.rv": "\(request.resourceVersion ?? "")"])
            return .next(machine.watchOpenFailed(error.requestFailure, now: options.now()))
        } catch {
            return .cancelled
        }
        machine.watchOpened(now: options.now())
        publisher.update {
            $0.synced = machine.hasSynced
            $0.phase = machine.phaseName
            $0.lastError = machine.lastFailure
        }
        logger.debug("watch opened", metadata: ["watch.rv": "\(request.resourceVersion ?? "")", "watch.timeout": "\(request.timeoutSeconds)"])

        let deadlineFlag = Flag()
        let body = response.body
        // Bounded by this call: cancelled in the defer, so it never outlives the watch.
        let timer: Task<Void, Never>? = deadline.map { d in
            let sleep = options.sleep
            return Task {
                do { try await sleep(d) } catch { return }
                deadlineFlag.set()
                body.cancel()
            }
        }
        defer {
            timer?.cancel()
            body.cancel()
        }

        var reader = StreamState(initial: request.sendInitialEvents ? [:] : nil,
                                 storedRV: request.sendInitialEvents ? nil : request.resourceVersion)
        var decoder = WatchDecoder(resource: collection.resource, engine: options.engine)
        do {
            for try await chunk in body {
                if let next = try await handle(try decoder.feed(chunk), &reader, scope: scope, machine: &machine) { return .next(next) }
            }
            if Task.isCancelled { return .cancelled }
            if deadlineFlag.isSet, reader.initial != nil { return .next(machine.initialEventsTimedOut(now: options.now())) }
            if let next = try await handle(try decoder.finish(), &reader, scope: scope, machine: &machine) { return .next(next) }
            try await reader.settle()
            logger.debug("watch closed", metadata: ["watch.rv": "\(machine.resourceVersion ?? "")"])
            return .next(machine.watchEnded(.closed, now: options.now()))
        } catch let error as KubeDecodingError {
            logger.warning("watch event undecodable", metadata: ["error": "\(error)"])
            try? await flushAndSettle(&reader, scope: scope, machine: machine)
            return .next(machine.watchEnded(.decodingFailed(error.description), now: options.now()))
        } catch let error as TransportError {
            if Task.isCancelled { return .cancelled }
            logger.debug("watch connection lost", metadata: ["error": "\(error)"])
            try? await flushAndSettle(&reader, scope: scope, machine: machine)
            return .next(machine.watchEnded(.connectionLost, now: options.now()))
        } catch let error as StoreWriteError {
            logger.error("store write failed", metadata: ["error": "\(error.underlying)"])
            return .next(machine.watchEnded(.decodingFailed("store: \(error.underlying)"), now: options.now()))
        } catch {
            try? await reader.settle()
            return .cancelled
        }
    }

    struct StreamState {
        /// WatchList's initial events, collected apart from the store until the end bookmark.
        var initial: [String: KubeObject]?
        var pending: [WatchChange] = []
        var storedRV: String?
        /// The batch being written while the next one is read and decoded.
        var inFlight: Task<Void, any Error>?

        /// Waits for the batch in flight; its failure is thrown here.
        mutating func settle() async throws {
            guard let write = inFlight else { return }
            inFlight = nil
            try await write.value
        }
    }

    struct StoreWriteError: Error { var underlying: any Error }

    /// Applies decoded events; returns the machine's next action when it ends this watch.
    private func handle(_ events: [WatchEvent], _ state: inout StreamState, scope: InformerID,
                        machine: inout ReflectorStateMachine) async throws -> ReflectorAction? {
        for event in events {
            if case .change(let change) = event {
                if state.initial != nil {
                    let key = change.object.key
                    if change.kind == .deleted { state.initial![key] = nil } else { state.initial![key] = change.object }
                    publisher.update { $0.objectsListed = state.initial!.count }
                } else {
                    state.pending.append(change)
                }
            }
            let action = machine.watchEventReceived(ObservedWatchEvent(event), now: options.now())
            switch action {
            case .none:
                continue
            case .replace(let rv):
                let objects = Array(state.initial?.values ?? [:].values)
                do {
                    try await state.settle()
                    try await store.replace(scope, objects: objects, resourceVersion: rv)
                } catch {
                    logger.error("store replace failed", metadata: ["error": "\(error)"])
                    return machine.replaceFailed("store: \(error)", now: options.now())
                }
                logger.info("cache replaced from watch-list", metadata: ["informer.objects": "\(objects.count)", "watch.rv": "\(rv)"])
                state.initial = nil
                state.storedRV = rv
                let next = machine.replaceCommitted(now: options.now())
                publisher.update {
                    $0.synced = machine.hasSynced
                    $0.phase = machine.phaseName
                    $0.resourceVersion = machine.resourceVersion
                    $0.lastError = nil
                }
                if next != .none { return next }
            default:
                if case .error(let status) = event {
                    logger.info("watch error event", metadata: ["error": "\(status)"])
                }
                try await flushAndSettle(&state, scope: scope, machine: machine)
                return action
            }
        }
        try await flush(&state, scope: scope, machine: machine)
        return nil
    }

    /// Starts writing pending changes (and a resume point moved by bookmarks) as one batch and
    /// returns once the batch before it is written: decoding the next network read overlaps
    /// with writing this one, and at most one batch waits behind the writer.
    private func flush(_ state: inout StreamState, scope: InformerID, machine: ReflectorStateMachine) async throws {
        guard state.initial == nil, let rv = machine.resourceVersion else { return }
        guard !state.pending.isEmpty || state.storedRV != rv else { return }
        try await state.settle()
        let changes = state.pending
        state.pending.removeAll(keepingCapacity: true)
        state.storedRV = rv
        state.inFlight = Task { [store, publisher, logger] in
            do {
                try await store.apply(scope, changes: changes, resourceVersion: rv)
            } catch {
                throw StoreWriteError(underlying: error)
            }
            logger.trace("watch batch applied", metadata: ["watch.changes": "\(changes.count)", "watch.rv": "\(rv)"])
            publisher.update {
                $0.watchEventsApplied += changes.count
                $0.resourceVersion = rv
                $0.lastError = nil
            }
        }
    }

    /// `flush`, then waits until everything is written: before the machine moves on.
    private func flushAndSettle(_ state: inout StreamState, scope: InformerID, machine: ReflectorStateMachine) async throws {
        try await flush(&state, scope: scope, machine: machine)
        try await state.settle()
    }
}

/// A one-way flag set from a timer task and read by the watch loop.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
