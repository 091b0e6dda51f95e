import Hummingbird

/// One message a session will write to its socket.
enum Outgoing: Sendable {
    case text(String)
    /// A `pods` message: the client's own head (pattern, focus, counts), then the rows, which
    /// are the same buffer for every client. It goes out as two WebSocket frames of one
    /// message, so a 10,000-row table (~3 MB) is encoded once, not once per client.
    case pods(head: String, rows: ByteBuffer)

    var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .pods(let head, let rows): head.utf8.count + rows.readableBytes
        }
    }

    var isPods: Bool {
        if case .pods = self { return true }
        return false
    }
}
