import Foundation
import Hummingbird
import Store
import Synchronization

/// One browser connection: what it subscribed to and its own focus (one browser's click never
/// moves another's), and a bounded outbound queue.
///
/// The queue holds at most one `pods` message: a newer table replaces one not yet written,
/// so a client that reads slowly gets the latest snapshot rather than every intermediate one.
/// Everything else is kept in order up to `byteLimit`; a client that falls further behind is
/// disconnected rather than allowed to stall others or grow memory, and the page reconnects
/// and starts again from a fresh snapshot (pods, focused pod, events, a new log tail).
final class ClientSession: Sendable {
    struct State: Sendable {
        var wantsPods = false
        var focus: PodKey?
        var focusUID: String?
        /// Seq of the focused pod's row when its view was last sent.
        var focusRowSeq: UInt64 = 0
        /// Newest event seq sent for the focused pod.
        var focusEventSeq: UInt64 = 0
        var logs: Set<LogKey> = []
    }

    private struct Outbox {
        var items: [Outgoing] = []
        var head = 0
        var bytes = 0
        var closed = false
        /// The newest `pods` message (or pattern reset) queued so far.
        var newestPods: PodsOrder?
    }

    static let byteLimit = 64 << 20

    let id: Int
    let state = Mutex(State())
    private let outbox = Mutex(Outbox())
    /// Signals the writer that the outbox has something; finishes when the session closes.
    let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let byteLimit: Int

    init(id: Int, byteLimit: Int = ClientSession.byteLimit) {
        self.id = id
        self.byteLimit = byteLimit
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func send(_ text: String) { enqueue(.text(text)) }

    /// Queues a `pods` message unless a newer one (see `PodsOrder`) was queued before it.
    func sendPods(head: String, rows: ByteBuffer, order: PodsOrder) {
        enqueue(.pods(head: head, rows: rows), order: order)
    }

    /// The pattern was reset: `awaitingPattern`, and no table of an earlier pattern after it.
    func sendAwaitingPattern(generation: UInt64) {
        outbox.withLock { box in
            box.newestPods = max(box.newestPods ?? PodsOrder(generation: 0, seq: 0), PodsOrder(generation: generation, seq: 0))
            if let i = box.items[box.head...].firstIndex(where: \.isPods) {
                box.bytes -= box.items[i].byteCount
                box.items.remove(at: i)
            }
        }
        enqueue(.text(#"{"type":"awaitingPattern"}"#))
    }

    private func enqueue(_ item: Outgoing, order: PodsOrder? = nil) {
        let overflowed = outbox.withLock { box -> Bool in
            guard !box.closed else { return false }
            if let order {
                if let newest = box.newestPods, order < newest { return false }
                box.newestPods = order
            }
            if item.isPods, let i = box.items[box.head...].firstIndex(where: \.isPods) {
                box.bytes -= box.items[i].byteCount
                box.items[i] = item
            } else {
                box.items.append(item)
            }
            box.bytes += item.byteCount
            if box.bytes > byteLimit {
                box.closed = true
                return true
            }
            return false
        }
        if overflowed { wake.finish() } else { wake.yield() }
    }

    /// The next message to write, or nil when the outbox is empty.
    func nextOutgoing() -> Outgoing? {
        outbox.withLock { box in
            guard box.head < box.items.count, !box.closed else { return nil }
            let item = box.items[box.head]
            box.head += 1
            box.bytes -= item.byteCount
            if box.head == box.items.count {
                box.items.removeAll(keepingCapacity: true)
                box.head = 0
            }
            return item
        }
    }

    /// Bytes waiting to be written (for tests and diagnostics).
    var queuedBytes: Int { outbox.withLock { $0.bytes } }

    func close() {
        outbox.withLock { $0.closed = true }
        wake.finish()
    }

    var snapshot: State { state.withLock { $0 } }
}

/// A log stream's identity: the container instance's output with the subscriber's options.
struct LogKey: Hashable, Sendable {
    var namespace: String
    var pod: String
    var container: String
    var tailLines: Int
    var previous: Bool
    var timestamps: Bool
}
