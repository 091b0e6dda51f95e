import Foundation

/// A Kubernetes event, decoded from either API into one shape.
///
/// core/v1 and events.k8s.io/v1 are two views of the same stored objects with different JSON
/// keys (`involvedObject`/`regarding`, `message`/`note`, `count`/`deprecatedCount`,
/// `reportingComponent`/`reportingController`, …). Both decode into these fields; whichever
/// key is present wins. Timestamps are often null (`firstTimestamp` on new-style events,
/// `eventTime` on old-style ones), so use `firstSeen`/`lastSeen`/`displayCount` for display.
public struct Event: Decodable, Sendable, Hashable {
    public var kind: String?
    public var apiVersion: String?
    public var metadata: ObjectMeta
    /// The object the event is about (core `involvedObject`, events.k8s.io `regarding`).
    public var regarding: ObjectReference?
    public var related: ObjectReference?
    public var reason: String?
    /// Human text (core `message`, events.k8s.io `note`).
    public var message: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// Old-style repeat counter (core `count`, events.k8s.io `deprecatedCount`).
    public var count: Int?
    public var firstTimestamp: Date?
    public var lastTimestamp: Date?
    public var eventTime: Date?
    public var series: EventSeries?
    /// core `source` / events.k8s.io `deprecatedSource`.
    public var source: EventSource?
    /// core `reportingComponent` / events.k8s.io `reportingController`.
    public var reportingController: String?
    public var reportingInstance: String?
    public var action: String?

    public init(metadata: ObjectMeta, regarding: ObjectReference? = nil, reason: String? = nil,
                message: String? = nil, type: String? = nil) {
        self.metadata = metadata
        self.regarding = regarding
        self.reason = reason
        self.message = message
        self.type = type
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func string(_ a: CodingKeys, _ b: CodingKeys) throws -> String? {
            let first = try c.decodeIfPresent(String.self, forKey: a)
            if let first, !first.isEmpty { return first }
            return try c.decodeIfPresent(String.self, forKey: b) ?? first
        }
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        regarding = try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject)
            ?? c.decodeIfPresent(ObjectReference.self, forKey: .regarding)
        related = try c.decodeIfPresent(ObjectReference.self, forKey: .related)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try string(.message, .note)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? c.decodeIfPresent(Int.self, forKey: .deprecatedCount)
        firstTimestamp = try c.decodeIfPresent(Date.self, forKey: .firstTimestamp)
            ?? c.decodeIfPresent(Date.self, forKey: .deprecatedFirstTimestamp)
        lastTimestamp = try c.decodeIfPresent(Date.self, forKey: .lastTimestamp)
            ?? c.decodeIfPresent(Date.self, forKey: .deprecatedLastTimestamp)
        eventTime = try c.decodeIfPresent(Date.self, forKey: .eventTime)
        series = try c.decodeIfPresent(EventSeries.self, forKey: .series)
        let core = try c.decodeIfPresent(EventSource.self, forKey: .source)
        let deprecated = try c.decodeIfPresent(EventSource.self, forKey: .deprecatedSource)
        source = (core?.isEmpty == false) ? core : (deprecated ?? core)
        reportingController = try string(.reportingComponent, .reportingController)
        reportingInstance = try c.decodeIfPresent(String.self, forKey: .reportingInstance)
        action = try c.decodeIfPresent(String.self, forKey: .action)
    }

    enum CodingKeys: String, CodingKey {
        case kind, apiVersion, metadata, involvedObject, regarding, related, reason, message, note, type
        case count, deprecatedCount, firstTimestamp, deprecatedFirstTimestamp, lastTimestamp
        case deprecatedLastTimestamp, eventTime, series, source, deprecatedSource
        case reportingComponent, reportingController, reportingInstance, action
    }

    // MARK: Display rules (KUBERNETES-API.md §3.2, as kubectl shows them)

    /// `series.count` if there is a series, else `count`; 0 or missing counts as 1.
    public var displayCount: Int {
        let raw = series != nil ? (series?.count ?? 0) : (count ?? 0)
        return raw > 0 ? raw : 1
    }

    /// `firstTimestamp`, else `eventTime`, else `metadata.creationTimestamp`.
    public var firstSeen: Date? {
        firstTimestamp ?? eventTime ?? metadata.creationTimestamp
    }

    /// `series.lastObservedTime` if there is a series, else `lastTimestamp`, else `firstSeen`.
    public var lastSeen: Date? {
        if let series, let t = series.lastObservedTime { return t }
        return lastTimestamp ?? firstSeen
    }

    /// kubectl's sort key: series time, else `lastTimestamp`, else `eventTime`
    /// (falling back to creation so every event sorts somewhere).
    public var sortTime: Date? {
        series?.lastObservedTime ?? lastTimestamp ?? eventTime ?? metadata.creationTimestamp
    }

    /// "From": `source.component`, else the reporting controller.
    public var from: String? {
        if let c = source?.component, !c.isEmpty { return c }
        if let r = reportingController, !r.isEmpty { return r }
        return nil
    }

    /// The message with surrounding whitespace trimmed, as kubectl shows it.
    public var trimmedMessage: String {
        (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// New-style repetition record.
public struct EventSeries: Decodable, Sendable, Hashable {
    public var count: Int?
    public var lastObservedTime: Date?
}

/// Old-style emitter identity (`{component, host}`); `{}` on events created through events.k8s.io.
public struct EventSource: Decodable, Sendable, Hashable {
    public var component: String?
    public var host: String?
    var isEmpty: Bool { (component ?? "").isEmpty && (host ?? "").isEmpty }
}
