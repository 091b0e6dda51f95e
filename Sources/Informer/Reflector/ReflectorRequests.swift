/// A LIST request the reflector asks the driver to make (one page).
public struct ListRequest: Equatable, Sendable, CustomStringConvertible {
    /// nil = unset (a consistent, most recent read).
    public var resourceVersion: String?
    /// `NotOlderThan` or `Exact`; nil = unset.
    public var resourceVersionMatch: String?
    /// Page size; nil = no `limit` (one response with everything).
    public var limit: Int?
    /// The previous page's continue token; nil on a first page.
    public var continueToken: String?

    public init(resourceVersion: String? = nil, resourceVersionMatch: String? = nil, limit: Int? = nil, continueToken: String? = nil) {
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continueToken = continueToken
    }

    /// The query items, in a stable order (empty values left out).
    public var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let limit { q.append(("limit", String(limit))) }
        if let continueToken { q.append(("continue", continueToken)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { q.append(("resourceVersionMatch", resourceVersionMatch)) }
        return q
    }

    public var description: String { queryItems.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
}

/// A WATCH request the reflector asks the driver to open.
public struct WatchRequest: Equatable, Sendable, CustomStringConvertible {
    /// nil = unset (only for WatchList with a consistent start).
    public var resourceVersion: String?
    /// Server-side end of the stream; randomised so reconnects of many clients spread out.
    public var timeoutSeconds: Int
    public var allowWatchBookmarks: Bool = true
    /// WatchList: stream the initial state as ADDED events, then an annotated BOOKMARK.
    public var sendInitialEvents: Bool = false
    /// `NotOlderThan` with `sendInitialEvents` (mandatory there).
    public var resourceVersionMatch: String?

    public init(resourceVersion: String?, timeoutSeconds: Int, sendInitialEvents: Bool = false, resourceVersionMatch: String? = nil) {
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
        self.sendInitialEvents = sendInitialEvents
        self.resourceVersionMatch = resourceVersionMatch
    }

    public var queryItems: [(String, String)] {
        var q: [(String, String)] = [("watch", "true")]
        if sendInitialEvents { q.append(("sendInitialEvents", "true")) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { q.append(("resourceVersionMatch", resourceVersionMatch)) }
        if allowWatchBookmarks { q.append(("allowWatchBookmarks", "true")) }
        q.append(("timeoutSeconds", String(timeoutSeconds)))
        return q
    }

    public var description: String { queryItems.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
}

/// What the reflector tells its driver to do next.
public enum ReflectorAction: Equatable, Sendable {
    /// Wait `after`, then request this LIST page. A request without a continue token starts a
    /// new snapshot: the driver drops any pages it had collected.
    case list(ListRequest, after: Duration)
    /// Wait `after`, then open this watch. With `sendInitialEvents` the driver collects the
    /// initial events in a temporary set (never the store) until `.replace`; it reports
    /// `initialEventsTimedOut` if `initialEventsDeadline` passes first.
    case watch(WatchRequest, after: Duration, initialEventsDeadline: Duration?)
    /// Atomically replace the store with the collected objects at this resourceVersion
    /// (after a LIST's last page, or a WatchList's end bookmark), then report
    /// `replaceCommitted` or `replaceFailed`.
    case replace(resourceVersion: String)
    /// Nothing to do: keep reading the current stream.
    case none
}

/// Why a request failed, as the reflector needs to distinguish it.
public enum RequestFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// A non-2xx response (the Status, synthesised if the body was not one), with Retry-After.
    case status(KubeStatus, retryAfter: Duration?)
    /// No response: connection refused, DNS, TLS, reset before the headers, timeout.
    case connection(String)
    /// The response could not be decoded.
    case decoding(String)

    public var description: String {
        switch self {
        case .status(let s, _): s.description
        case .connection(let m): "connection failed: \(m)"
        case .decoding(let m): "decoding failed: \(m)"
        }
    }

    var status: KubeStatus? {
        if case .status(let s, _) = self { return s }
        return nil
    }
}

/// How a watch stream ended (after it was opened).
public enum WatchEnd: Equatable, Sendable {
    /// The server ended the body (timeoutSeconds reached, apiserver restart).
    case closed
    /// The connection broke mid-stream: reset, unexpected EOF, idle watchdog.
    case connectionLost
    /// A line could not be decoded or had an unknown type.
    case decodingFailed(String)
}

/// A watch event as far as the reflector's decisions go (the driver handles the objects).
public enum ObservedWatchEvent: Equatable, Sendable {
    case object(WatchChange.Kind, resourceVersion: String?)
    case bookmark(resourceVersion: String, initialEventsEnd: Bool)
    case error(KubeStatus)

    public init(_ event: WatchEvent) {
        switch event {
        case .change(let c): self = .object(c.kind, resourceVersion: c.object.resourceVersion)
        case .bookmark(let rv, let end): self = .bookmark(resourceVersion: rv, initialEventsEnd: end)
        case .error(let s): self = .error(s)
        }
    }
}
