import Foundation
import Informer
import Logging
import Store
import Synchronization

/// Log streams shared between the sessions that watch the same container with the same
/// options. A stream follows its container across restarts (the API ends a followed stream when
/// the instance ends): it reopens from the last second seen and drops lines already shown, and
/// stops when nobody subscribes any more.
final class LogStreams: Sendable {
    private struct Entry {
        var subscribers: [Int: ClientSession] = [:]
        var body: ResponseBody?
        /// The last `logStatus` sent, for sessions that join a running stream.
        var lastStatus: String?
    }

    let client: KubeClient
    let cache: ClusterCache
    let logger: Logger
    /// Lines per message: a flood is sent in batches, a trickle line by line.
    static let batchLines = 500
    private let entries = Mutex<[LogKey: Entry]>([:])
    private let starts: AsyncStream<LogKey>
    private let startContinuation: AsyncStream<LogKey>.Continuation

    init(client: KubeClient, cache: ClusterCache, logger: Logger) {
        self.client = client
        self.cache = cache
        self.logger = logger
        (starts, startContinuation) = AsyncStream.makeStream()
    }

    func subscribe(_ session: ClientSession, to key: LogKey) {
        let (isNew, status) = entries.withLock { e -> (Bool, String?) in
            let new = e[key] == nil
            e[key, default: Entry()].subscribers[session.id] = session
            return (new, e[key]?.lastStatus)
        }
        session.state.withLock { _ = $0.logs.insert(key) }
        if isNew { startContinuation.yield(key) }
        if let status { session.send(status) }
    }

    func unsubscribe(_ session: ClientSession, from key: LogKey) {
        session.state.withLock { _ = $0.logs.remove(key) }
        let body = entries.withLock { e -> ResponseBody? in
            e[key]?.subscribers[session.id] = nil
            guard let entry = e[key], entry.subscribers.isEmpty else { return nil }
            e[key] = nil
            return entry.body
        }
        body?.cancel()
    }

    func unsubscribeAll(_ session: ClientSession) {
        for key in session.snapshot.logs { unsubscribe(session, from: key) }
    }

    var activeStreams: Int { entries.withLock { $0.count } }

    private func subscribers(_ key: LogKey) -> [ClientSession]? {
        entries.withLock { e in e[key].map { Array($0.subscribers.values) } }
    }

    private func broadcast(_ key: LogKey, _ text: String) {
        for session in subscribers(key) ?? [] { session.send(text) }
    }

    /// Runs every stream as a child task, so they all end with the server.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for await key in starts {
                group.addTask { await self.follow(key) }
            }
        }
    }

    func finish() { startContinuation.finish() }

    private func follow(_ key: LogKey) async {
        var reader = LogLineReader(wantsTimestamps: key.timestamps)
        var restarts = cache.index.snapshot().pod(namespace: key.namespace, name: key.pod)?.restarts
        var reopened = false
        var waitingReported = false
        while subscribers(key) != nil, !Task.isCancelled {
            var query: [(String, String)] = [("container", key.container), ("timestamps", "true")]
            if key.previous {
                query.append(("previous", "true"))
                query.append(("tailLines", String(key.tailLines)))
            } else {
                query.append(("follow", "true"))
                if let since = reader.resumeTime, reopened {
                    query.append(("sinceTime", since))
                } else {
                    query.append(("tailLines", String(key.tailLines)))
                }
            }
            do {
                let response = try await client.send(path: "/api/v1/namespaces/\(key.namespace)/pods/\(key.pod)/log",
                                                     query: query, accept: "*/*")
                entries.withLock { $0[key]?.body = response.body }
                status(key, "streaming", nil)
                waitingReported = false
                for try await chunk in response.body {
                    let lines = reader.lines(from: chunk)
                    var start = 0
                    while start < lines.count {
                        let batch = Array(lines[start..<min(start + Self.batchLines, lines.count)])
                        broadcast(key, LogMessages.lines(batch, key: key))
                        start += Self.batchLines
                    }
                }
                if let tail = reader.flush() { broadcast(key, LogMessages.lines([tail], key: key)) }
            } catch let error as KubeClientError {
                let code = error.statusCode
                if code == 404 {
                    status(key, "ended", "pod \(key.pod) no longer exists")
                    return
                }
                if code == 400 || code == 204 {
                    // Waiting to start, no previous instance, …: the server's sentence as is.
                    if !waitingReported { status(key, key.previous ? "error" : "waiting", error.description) }
                    waitingReported = true
                    if key.previous { return }
                } else {
                    status(key, "error", error.description)
                }
            } catch {
                if subscribers(key) == nil || Task.isCancelled { return }
                status(key, "error", "\(error)")
            }
            if key.previous {
                status(key, "ended", "end of the previous instance's log")
                return
            }
            guard subscribers(key) != nil else { return }
            // The followed instance ended. Reopen when the pod has moved on (restarted or
            // running again), checking the cache rather than polling the cluster.
            let row = cache.index.snapshot().pod(namespace: key.namespace, name: key.pod)
            if row == nil {
                status(key, "ended", "pod \(key.pod) was deleted")
                return
            }
            if let now = row?.restarts, let before = restarts, now != before {
                status(key, "restarted", "container \(key.container) restarted (restart \(now))")
            }
            restarts = row?.restarts
            reopened = true
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
        }
    }

    private func status(_ key: LogKey, _ state: String, _ message: String?) {
        let text = LogMessages.status(state, message: message, key: key)
        entries.withLock { $0[key]?.lastStatus = text }
        broadcast(key, text)
    }
}

/// Splits a log body into lines across chunk boundaries (lossy UTF-8; a partial last line
/// waits for the next chunk), strips the timestamp kubeluma always asks for unless the client
/// wants it, and after a reopen with `sinceTime` drops lines already shown (the API's
/// `sinceTime` has second precision, so that second's lines come again).
struct LogLineReader {
    let wantsTimestamps: Bool
    private var partial: [UInt8] = []
    private var lastTimestamp = ""

    init(wantsTimestamps: Bool) { self.wantsTimestamps = wantsTimestamps }

    /// RFC 3339 second to reopen from.
    var resumeTime: String? {
        guard lastTimestamp.count >= 19 else { return nil }
        return String(lastTimestamp.prefix(19)) + "Z"
    }

    mutating func lines(from chunk: [UInt8]) -> [String] {
        var out: [String] = []
        var start = chunk.startIndex
        for i in chunk.indices where chunk[i] == 0x0A {
            partial.append(contentsOf: chunk[start..<i])
            if let line = accept(partial) { out.append(line) }
            partial.removeAll(keepingCapacity: true)
            start = i + 1
        }
        partial.append(contentsOf: chunk[start...])
        return out
    }

    mutating func flush() -> String? {
        guard !partial.isEmpty else { return nil }
        defer { partial.removeAll() }
        return accept(partial)
    }

    private mutating func accept(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let space = text.firstIndex(of: " "), text[text.startIndex..<space].hasSuffix("Z") else { return text }
        let stamp = String(text[text.startIndex..<space])
        // Fixed-width RFC 3339 with nanoseconds: string order is time order.
        if stamp <= lastTimestamp { return nil }
        lastTimestamp = stamp
        return wantsTimestamps ? text : String(text[text.index(after: space)...])
    }
}

enum LogMessages {
    static func lines(_ lines: [String], key: LogKey) -> String {
        var w = JSONWriter(capacity: lines.reduce(96) { $0 + $1.utf8.count + 4 })
        w.raw("{\"type\":\"log\"")
        w.key("pod"); w.string(key.pod)
        w.key("namespace"); w.string(key.namespace)
        w.key("container"); w.string(key.container)
        if lines.count == 1 {
            w.key("line"); w.string(lines[0])
        } else {
            w.key("lines"); w.raw("[")
            for (i, line) in lines.enumerated() {
                if i > 0 { w.comma() }
                w.string(line)
            }
            w.raw("]")
        }
        w.raw("}")
        return w.text
    }

    static func status(_ state: String, message: String?, key: LogKey) -> String {
        var w = JSONWriter()
        w.raw("{\"type\":\"logStatus\"")
        w.key("pod"); w.string(key.pod)
        w.key("namespace"); w.string(key.namespace)
        w.key("container"); w.string(key.container)
        w.key("state"); w.string(state)
        w.key("message"); w.string(message)
        w.raw("}")
        return w.text
    }
}
