/// The collections kubeluma reads, and how their URLs are built.
public enum APICollection: String, Sendable, Hashable {
    case pods
    /// core/v1 events (`involvedObject`, `count`, …).
    case coreEvents
    /// events.k8s.io/v1 events (`regarding`, `series`, …), preferred where served.
    case eventsV1

    public var resource: InformerID.Resource { self == .pods ? .pods : .events }

    /// `/api/v1/pods`, `/api/v1/namespaces/{ns}/events`, `/apis/events.k8s.io/v1/events`, …
    public func path(namespace: String?) -> String {
        let prefix = self == .eventsV1 ? "/apis/events.k8s.io/v1" : "/api/v1"
        let name = self == .pods ? "pods" : "events"
        if let namespace { return "\(prefix)/namespaces/\(Self.escape(namespace))/\(name)" }
        return "\(prefix)/\(name)"
    }

    /// Percent-encodes a path segment or query value (RFC 3986 unreserved characters only).
    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPad(2)
            }
        }
        return out
    }

    /// `a=1&b=2` with every name and value escaped.
    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// Builds a field selector term, escaping `\`, `,` and `=` in the value as the API requires.
public func fieldSelectorTerm(_ field: String, _ value: String) -> String {
    var v = ""
    for c in value {
        if c == "\\" || c == "," || c == "=" { v.append("\\") }
        v.append(c)
    }
    return "\(field)=\(v)"
}
