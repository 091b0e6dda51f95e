import Hummingbird
import Testing
@testable import Server

/// The outbound queue of one browser connection: a slow reader gets the newest pod table, not
/// every intermediate one, and a reader that falls too far behind is cut off, not buffered.
@Suite struct ClientSessionTests {
    func text(_ item: Outgoing?) -> String? {
        switch item {
        case .text(let t)?: return t
        case .pods(let head, let rows)?: return head + String(buffer: rows)
        case nil: return nil
        }
    }

    @Test func newerPodTableReplacesOneNotYetWrittenAndOtherMessagesKeepTheirOrder() {
        let session = ClientSession(id: 1)
        session.sendPods(head: "{\"t\":1,\"pods\":", rows: ByteBuffer(string: "[1]}"), order: PodsOrder(generation: 1, seq: 1))
        session.send("log-a")
        session.sendPods(head: "{\"t\":2,\"pods\":", rows: ByteBuffer(string: "[2]}"), order: PodsOrder(generation: 1, seq: 2))
        session.send("log-b")
        #expect(text(session.nextOutgoing()) == "{\"t\":2,\"pods\":[2]}")
        #expect(text(session.nextOutgoing()) == "log-a")
        #expect(text(session.nextOutgoing()) == "log-b")
        #expect(session.nextOutgoing() == nil)
        #expect(session.queuedBytes == 0)
        // Once the first table is written, a new one is queued behind later messages again.
        session.sendPods(head: "{\"pods\":", rows: ByteBuffer(string: "[3]}"), order: PodsOrder(generation: 1, seq: 3))
        #expect(text(session.nextOutgoing()) == "{\"pods\":[3]}")
    }

    @Test func aTableOfAnOlderPatternIsNeverQueuedAfterANewerOne() {
        let session = ClientSession(id: 1)
        session.sendPods(head: "{\"p\":\"new\",\"pods\":", rows: ByteBuffer(string: "[]}"), order: PodsOrder(generation: 2, seq: 5))
        #expect(text(session.nextOutgoing()) == "{\"p\":\"new\",\"pods\":[]}")
        // A refresh computed for the previous pattern finishes after the change: dropped.
        session.sendPods(head: "{\"p\":\"old\",\"pods\":", rows: ByteBuffer(string: "[]}"), order: PodsOrder(generation: 1, seq: 9))
        #expect(session.nextOutgoing() == nil)
        // After a reset, neither comes back.
        session.sendAwaitingPattern(generation: 3)
        session.sendPods(head: "{\"p\":\"new\",\"pods\":", rows: ByteBuffer(string: "[]}"), order: PodsOrder(generation: 2, seq: 9))
        #expect(text(session.nextOutgoing()) == #"{"type":"awaitingPattern"}"#)
        #expect(session.nextOutgoing() == nil)
    }

    @Test func readerPastTheByteLimitIsDisconnectedAndItsQueueDropped() async {
        let session = ClientSession(id: 1, byteLimit: 1_000)
        for i in 0..<10 { session.send(String(repeating: "x", count: 99) + "\(i)") }
        #expect(session.queuedBytes == 1_000)
        session.send("one byte too many")
        #expect(session.nextOutgoing() == nil)
        // The writer's wake-up stream ends, which closes the socket.
        var wakeups = 0
        for await _ in session.wakeups { wakeups += 1 }
        #expect(wakeups <= 1)
        session.send("after the end")
        #expect(session.nextOutgoing() == nil)
    }
}

extension Outgoing: Equatable {
    public static func == (a: Outgoing, b: Outgoing) -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): x == y
        case (.pods(let h1, let r1), .pods(let h2, let r2)): h1 == h2 && r1 == r2
        default: false
        }
    }
}
