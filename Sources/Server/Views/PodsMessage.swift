import Foundation
import Hummingbird
import Store

/// The seed's `pods` message. The rows are the same for every client (the pattern is
/// server-wide), so they are encoded once per change and only the per-client focus is spliced in.
struct PodsMessage: Sendable {
    struct Meta: Sendable {
        var pattern: String
        var total: Int
        var synced: Bool
        var stale: Bool
        var scopeNamespace: String?
        var reducedScope: Bool
        var scopeMessage: String?
    }

    /// `[rows…]}}`: the end of every client's message, one buffer shared by all of them.
    let rowsTail: ByteBuffer
    let matched: Int
    let meta: Meta
    let order: PodsOrder

    init(rows: [PodRow], order: PodsOrder, meta: Meta) {
        self.order = order
        var w = JSONWriter(capacity: rows.count * 260 + 64)
        w.raw("[")
        for i in rows.indices {
            if i > 0 { w.comma() }
            Self.write(rows[i], into: &w)
        }
        w.raw("]}}")
        rowsTail = ByteBuffer(bytes: w.bytes)
        matched = rows.count
        self.meta = meta
    }

    static func write(_ row: PodRow, into w: inout JSONWriter) {
        w.raw("{")
        w.key("name"); w.string(row.name)
        w.key("namespace"); w.string(row.namespace)
        w.key("phase"); w.string(row.phase)
        w.key("ready"); w.number(row.ready)
        w.key("total"); w.number(row.total)
        w.key("restarts"); w.number(row.restarts)
        w.key("uid"); w.string(row.uid)
        w.key("status"); w.string(row.status)
        w.key("lastRestartAt"); w.date(row.lastRestart)
        w.key("createdAt"); w.date(row.createdAt)
        w.key("node"); w.string(row.node)
        w.key("podIP"); w.string(row.podIP)
        w.raw("}")
    }

    /// The start of the message for one client, with its own focus, up to `"pods":`.
    func head(focus: PodKey?) -> String {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"type\":\"pods\",\"data\":{")
        w.key("pattern"); w.string(meta.pattern)
        w.key("focus"); w.string(focus?.name)
        w.key("focusNamespace"); w.string(focus?.namespace)
        w.key("matched"); w.number(matched)
        w.key("total"); w.number(meta.total)
        w.key("stale"); w.bool(meta.stale)
        w.key("synced"); w.bool(meta.synced)
        w.key("scope"); w.raw("{")
        w.key("namespace"); w.string(meta.scopeNamespace)
        w.key("reduced"); w.bool(meta.reducedScope)
        w.key("message"); w.string(meta.scopeMessage)
        w.raw("}")
        w.key("pods")
        return w.text
    }

    func send(to session: ClientSession) {
        session.sendPods(head: head(focus: session.snapshot.focus), rows: rowsTail, order: order)
    }
}
