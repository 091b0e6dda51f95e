import Foundation
import Store

/// The seed's `event` message and the added `events` history batch.
enum EventMessages {
    static func single(_ event: StoredEvent, pod: PodKey, now: Date) -> String {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"type\":\"event\",\"data\":")
        write(event, pod: pod, now: now, into: &w)
        w.raw("}")
        return w.text
    }

    static func history(_ events: [StoredEvent], pod: PodKey, now: Date) -> String {
        var w = JSONWriter(capacity: events.count * 400 + 128)
        w.raw("{\"type\":\"events\",\"data\":{")
        w.key("pod"); w.string(pod.name)
        w.key("namespace"); w.string(pod.namespace)
        w.key("events"); w.raw("[")
        for (i, event) in events.enumerated() {
            if i > 0 { w.comma() }
            write(event, pod: pod, now: now, into: &w)
        }
        w.raw("]}}")
        return w.text
    }

    private static func write(_ e: StoredEvent, pod: PodKey, now: Date, into w: inout JSONWriter) {
        let last = e.lastSeen ?? e.firstSeen
        w.raw("{")
        w.key("pod"); w.string(pod.name)
        w.key("type"); w.string(e.type ?? "Normal")
        w.key("reason"); w.string(e.reason ?? "")
        w.key("message"); w.string(e.message.trimmingCharacters(in: .whitespacesAndNewlines))
        w.key("ageSeconds"); w.number(last.map { max(0, Int(now.timeIntervalSince($0))) })
        w.key("namespace"); w.string(pod.namespace)
        w.key("uid"); w.string(e.uid)
        w.key("count"); w.number(max(1, e.count))
        w.key("firstSeen"); w.date(e.firstSeen)
        w.key("lastSeen"); w.date(last)
        w.key("source"); w.string(e.source)
        w.key("fieldPath"); w.string(e.fieldPath)
        w.key("expired"); w.bool(e.isExpired)
        w.raw("}")
    }
}
