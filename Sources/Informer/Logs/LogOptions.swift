import Foundation

/// Options of a pod log request (`GET …/pods/{name}/log`, KUBERNETES-API.md §5).
public struct LogOptions: Sendable, Equatable {
    /// Required when the pod has more than one container.
    public var container: String?
    public var follow = false
    /// The previous (crashed) instance.
    public var previous = false
    public var tailLines: Int?
    public var sinceSeconds: Int?
    /// Second precision on the server: lines of that second come again (dedupe by timestamp).
    public var sinceTime: Date?
    /// Ask for RFC 3339 nano timestamps; the reader strips and parses them.
    public var timestamps = false
    public var limitBytes: Int?

    public init(container: String? = nil, follow: Bool = false, previous: Bool = false, tailLines: Int? = nil,
                sinceSeconds: Int? = nil, sinceTime: Date? = nil, timestamps: Bool = false, limitBytes: Int? = nil) {
        self.container = container
        self.follow = follow
        self.previous = previous
        self.tailLines = tailLines
        self.sinceSeconds = sinceSeconds
        self.sinceTime = sinceTime
        self.timestamps = timestamps
        self.limitBytes = limitBytes
    }

    var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let container { q.append(("container", container)) }
        if follow { q.append(("follow", "true")) }
        if previous { q.append(("previous", "true")) }
        if let tailLines { q.append(("tailLines", String(tailLines))) }
        if let sinceSeconds { q.append(("sinceSeconds", String(sinceSeconds))) }
        if let sinceTime { q.append(("sinceTime", KubeTime.format(sinceTime))) }
        if timestamps { q.append(("timestamps", "true")) }
        if let limitBytes { q.append(("limitBytes", String(limitBytes))) }
        return q
    }
}

/// One log line: its text (invalid UTF-8 replaced, no newline) and, when timestamps were
/// requested, the time the container wrote it.
public struct LogLine: Sendable, Equatable {
    public var text: String
    public var timestamp: Date?
    /// The raw timestamp text, which keeps nanoseconds for exact deduplication.
    public var timestampText: String?

    public init(text: String, timestamp: Date? = nil, timestampText: String? = nil) {
        self.text = text
        self.timestamp = timestamp
        self.timestampText = timestampText
    }
}
