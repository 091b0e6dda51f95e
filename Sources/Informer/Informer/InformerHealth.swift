import Foundation

/// What the server shows about an informer: is the cache complete, how far a long initial
/// list has got, what went wrong last, and whether the scope had to be narrowed.
public struct InformerHealth: Sendable, Equatable {
    /// The scope actually watched (differs from `requested` after a 403 fallback).
    public var informer: InformerID
    public var requested: InformerID
    /// True when a cluster-wide view was forbidden and only `informer.namespace` is shown.
    public var reducedScope: Bool
    /// The cache holds a complete snapshot and is being kept current.
    public var synced: Bool
    /// `listing`, `watching`, `streaming initial state`, …
    public var phase: String
    /// Objects received so far by the current (possibly paginated) list.
    public var objectsListed: Int
    public var resourceVersion: String?
    /// Watch events written to the store since start (a throughput counter for the benchmark
    /// and `/healthz`).
    public var watchEventsApplied: Int = 0
    /// The last failure, in words fit for the UI (never credentials).
    public var lastError: String?

    public init(requested: InformerID) {
        self.informer = requested
        self.requested = requested
        self.reducedScope = false
        self.synced = false
        self.phase = "starting"
        self.objectsListed = 0
    }
}

/// Holds the latest health and hands every change to subscribers.
final class HealthPublisher: @unchecked Sendable {
    private let lock = NSLock()
    private var value: InformerHealth
    private var subscribers: [UUID: AsyncStream<InformerHealth>.Continuation] = [:]

    init(_ initial: InformerHealth) { value = initial }

    var current: InformerHealth {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func update(_ change: (inout InformerHealth) -> Void) {
        lock.lock()
        var next = value
        change(&next)
        guard next != value else {
            lock.unlock()
            return
        }
        value = next
        let subs = Array(subscribers.values)
        lock.unlock()
        for s in subs { s.yield(next) }
    }

    /// The current value first, then every change; a slow reader sees only the newest.
    func stream() -> AsyncStream<InformerHealth> {
        let (stream, continuation) = AsyncStream.makeStream(of: InformerHealth.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        lock.lock()
        subscribers[id] = continuation
        let now = value
        lock.unlock()
        continuation.yield(now)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.lock.lock()
            self.subscribers[id] = nil
            self.lock.unlock()
        }
        return stream
    }

    func finish() {
        lock.lock()
        let subs = Array(subscribers.values)
        subscribers.removeAll()
        lock.unlock()
        for s in subs { s.finish() }
    }
}
