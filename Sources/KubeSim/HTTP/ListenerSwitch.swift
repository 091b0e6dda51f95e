import Synchronization

/// Whether the simulated API server accepts connections. A test closes the listening socket,
/// and with it every open connection (watches, log streams), as when an apiserver crashes or
/// a load balancer in front of it goes away; then opens it again on the same port with the
/// cluster's state kept. `Simulator.run` follows `wanted`; tests wait on `listening`.
final class ListenerSwitch: Sendable {
    enum Condition: Sendable {
        case wanted(Bool)
        case listening(Bool)
        /// The server has started listening at least this many times.
        case started(atLeast: Int)
    }

    private struct State {
        var wanted = true
        var listening = false
        var starts = 0
        var nextWaiterID = 0
        var waiters: [Int: (Condition, CheckedContinuation<Void, Never>)] = [:]

        func holds(_ condition: Condition) -> Bool {
            switch condition {
            case .wanted(let wanted): return self.wanted == wanted
            case .listening(let listening): return self.listening == listening
            case .started(let count): return starts >= count
            }
        }
    }

    private let state = Mutex(State())

    func set(wanted: Bool) { update { $0.wanted = wanted } }
    func set(listening: Bool) {
        update { s in
            if listening && !s.listening { s.starts += 1 }
            s.listening = listening
        }
    }
    var starts: Int { state.withLock { $0.starts } }

    /// Returns once `condition` holds, or when the task is cancelled.
    func wait(until condition: Condition) async {
        let id = state.withLock { s in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.holds(condition) || Task.isCancelled { return true }
                    s.waiters[id] = (condition, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.1.resume()
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            change(&s)
            let due = s.waiters.filter { s.holds($0.value.0) }
            for id in due.keys { s.waiters[id] = nil }
            return due.map(\.value.1)
        }
        for continuation in ready { continuation.resume() }
    }
}
