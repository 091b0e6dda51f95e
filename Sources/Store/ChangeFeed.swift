import Synchronization

/// Where the store stands: the newest seq, and the newest seq that changed pods and events.
/// All three only grow, so the latest value says everything older ones did.
public struct StoreChange: Sendable, Equatable {
    public var seq: UInt64
    public var podSeq: UInt64
    public var eventSeq: UInt64

    public init(seq: UInt64, podSeq: UInt64, eventSeq: UInt64) {
        self.seq = seq
        self.podSeq = podSeq
        self.eventSeq = eventSeq
    }
}

/// Tells subscribers that the store changed. Each subscriber's stream holds only the newest
/// `StoreChange` (`bufferingNewest(1)`): a slow consumer skips intermediate states instead of
/// queueing them, and then asks the index or the store for what changed since its last seq.
final class ChangeFeed: Sendable {
    private struct State {
        var latest: StoreChange
        var subscribers: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state: Mutex<State>

    init(seq: UInt64) {
        state = Mutex(State(latest: StoreChange(seq: seq, podSeq: seq, eventSeq: seq)))
    }

    var latest: StoreChange { state.withLock { $0.latest } }

    /// A stream that starts with the current state and then yields each change.
    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = continuation
            continuation.yield(state.latest)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(seq: UInt64, pods: Bool, events: Bool) {
        state.withLock { state in
            state.latest.seq = seq
            if pods { state.latest.podSeq = seq }
            if events { state.latest.eventSeq = seq }
            for continuation in state.subscribers.values { continuation.yield(state.latest) }
        }
    }

    /// Ends every stream (the store is closing).
    func finish() {
        let continuations = state.withLock { state in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
