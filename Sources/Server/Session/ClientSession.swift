import Foundation
import Store
import Synchronization

/// One browser connection: what it subscribed to and its own focus (one browser's click never
/// moves another's), and a bounded outbound queue. A client too slow to drain its queue is
/// disconnected rather than allowed to stall others or grow memory; on reconnect it gets a
/// fresh snapshot.
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

    static let queueLimit = 4_096

    let id: Int
    let outbound: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    let state = Mutex(State())

    init(id: Int) {
        self.id = id
        (outbound, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.queueLimit))
    }

    func send(_ text: String) {
        if case .dropped = continuation.yield(text) {
            continuation.finish()
        }
    }

    func close() { continuation.finish() }

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
