import Foundation

/// `meta.k8s.io/v1` Table responses: how kubectl asks the server to print `get pods` and
/// `get events` (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`).
enum Tables {
    struct Column: Encodable {
        var name: String
        var type = "string"
        var format = ""
        var description: String
        var priority: Int
    }

    static let podColumns: [Column] = [
        Column(name: "Name", format: "name", description: "Name must be unique within a namespace.", priority: 0),
        Column(name: "Ready", description: "The aggregate readiness state of this pod for accepting traffic.", priority: 0),
        Column(name: "Status", description: "The aggregate status of the containers in this pod.", priority: 0),
        Column(name: "Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", priority: 0),
        Column(name: "Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0),
        Column(name: "IP", description: "podIP address allocated to the pod.", priority: 1),
        Column(name: "Node", description: "NodeName indicates in which node this pod is scheduled.", priority: 1),
        Column(name: "Nominated Node", description: "nominatedNodeName is set only when this pod preempts other pods on the node.", priority: 1),
        Column(name: "Readiness Gates", description: "If specified, all readiness gates will be evaluated for pod readiness.", priority: 1),
    ]

    static let eventColumns: [Column] = [
        Column(name: "Last Seen", description: "The time at which the most recent occurrence of this event was recorded.", priority: 0),
        Column(name: "Type", description: "Type of this event (Normal, Warning), new types could be added in the future", priority: 0),
        Column(name: "Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", priority: 0),
        Column(name: "Object", description: "The object that this event is about.", priority: 0),
        Column(name: "Subobject", description: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.", priority: 1),
        Column(name: "Source", description: "The component reporting this event. Should be a short machine understandable string.", priority: 1),
        Column(name: "Message", description: "A human-readable description of the status of this operation.", priority: 0),
        Column(name: "First Seen", description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", priority: 1),
        Column(name: "Count", description: "The number of times this event has occurred.", priority: 1),
        Column(name: "Name", format: "name", description: "Name must be unique within a namespace.", priority: 1),
    ]

    enum Cell: Encodable {
        case text(String), number(Int)
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .number(let n): try c.encode(n)
            }
        }
    }

    static func cells(for object: StoredObject, now: Date) -> [Cell] {
        switch object.body {
        case .pod(let pod):
            let r = PodPrinter.row(pod, now: now)
            return [r.name, r.ready, r.status, r.restarts, r.age, r.ip, r.node, r.nominated, r.gates].map(Cell.text)
        case .event(let e):
            // printEvent: first seen = firstTimestamp, else eventTime; last seen = series, else
            // lastTimestamp, else first seen.
            let first = e.firstTimestamp ?? e.eventTime
            let last = e.series?.lastObservedTime ?? e.lastTimestamp ?? first
            func age(_ t: String?) -> String {
                t.flatMap(WireTime.parse).map { PodPrinter.humanDuration(now.timeIntervalSince($0)) } ?? "<unknown>"
            }
            let source = [e.source?.component ?? e.reportingController, e.source?.host].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            let count = e.series?.count ?? e.count ?? 1
            return [.text(age(last)), .text(e.type), .text(e.reason), .text("\(e.regarding.kind.lowercased())/\(e.regarding.name)"),
                    .text(e.regarding.fieldPath ?? ""), .text(source), .text(e.message.trimmingCharacters(in: .whitespaces)),
                    .text(age(first)), .number(count), .text(e.metadata.name)]
        }
    }

    /// The row's `object`: `PartialObjectMetadata` by default, the full object with
    /// `includeObject=Object`, nothing with `None`.
    static func rowJSON(_ object: StoredObject, includeObject: String, eventsAPI: Bool, now: Date) -> [UInt8] {
        var out = Array("{\"cells\":".utf8)
        out += WireEncoding.encode(cells(for: object, now: now))
        switch includeObject {
        case "None":
            break
        case "Object":
            out += Array(",\"object\":".utf8) + object.json(eventsAPI: eventsAPI)
        default:
            let meta: ObjectMeta
            switch object.body {
            case .pod(let p): meta = p.metadata
            case .event(let e): meta = e.metadata
            }
            struct Partial: Encodable { var kind = "PartialObjectMetadata"; var apiVersion = "meta.k8s.io/v1"; var metadata: ObjectMeta }
            out += Array(",\"object\":".utf8) + WireEncoding.encode(Partial(metadata: meta))
        }
        out += Array("}".utf8)
        return out
    }

    static func table(resource: Resource, rows: [[UInt8]], resourceVersion: Int, continueToken: String?,
                      remaining: Int?, includeColumns: Bool = true) -> [UInt8] {
        var out = Array("{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"\(resourceVersion)\"".utf8)
        if let continueToken { out += Array(",\"continue\":\"\(continueToken)\"".utf8) }
        if let remaining { out += Array(",\"remainingItemCount\":\(remaining)".utf8) }
        out += Array("},\"columnDefinitions\":".utf8)
        out += includeColumns ? WireEncoding.encode(resource == .pods ? podColumns : eventColumns) : Array("null".utf8)
        out += Array(",\"rows\":[".utf8)
        for (i, row) in rows.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += row
        }
        out += Array("]}".utf8)
        return out
    }
}
