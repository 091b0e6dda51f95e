/// Field selectors (`a=b,c!=d`, with `\` escapes) as kube-apiserver parses them.
struct FieldSelector: Sendable {
    struct Term: Sendable { var field: String; var value: String; var negated: Bool }
    var terms: [Term]

    /// Parses `raw` and checks every field against what the resource supports, answering the
    /// same 400 the real server gives for an unknown field.
    init(_ raw: String, supported: Set<String>) throws(Status) {
        terms = []
        for part in Self.splitUnescaped(raw, on: ",") where !part.isEmpty {
            let term: Term
            if let r = part.range(of: "!=") {
                term = Term(field: String(part[..<r.lowerBound]), value: Self.unescape(String(part[r.upperBound...])), negated: true)
            } else if let r = part.range(of: "==") {
                term = Term(field: String(part[..<r.lowerBound]), value: Self.unescape(String(part[r.upperBound...])), negated: false)
            } else if let i = Self.firstUnescaped(part, "=") {
                term = Term(field: String(part[..<i]), value: Self.unescape(String(part[part.index(after: i)...])), negated: false)
            } else {
                throw Status.badRequest("invalid selector: '\(raw)'; can't understand '\(part)'")
            }
            guard supported.contains(term.field) else {
                throw Status.badRequest("field label not supported: \(term.field)")
            }
            terms.append(term)
        }
    }

    func matches(_ fields: [String: String]) -> Bool {
        terms.allSatisfy { t in (fields[t.field] ?? "") == t.value ? !t.negated : t.negated }
    }

    private static func splitUnescaped(_ s: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for ch in s {
            if escaped { current.append("\\"); current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == separator { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        return parts
    }

    private static func firstUnescaped(_ s: String, _ target: Character) -> String.Index? {
        var escaped = false
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == target { return i }
            i = s.index(after: i)
        }
        return nil
    }

    private static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for ch in s {
            if escaped { out.append(ch); escaped = false } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }
}

/// Label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String), notEquals(String, String)
        case isIn(String, Set<String>), notIn(String, Set<String>)
        case exists(String), doesNotExist(String)
    }
    var requirements: [Requirement] = []

    init(_ raw: String) throws(Status) {
        var rest = Substring(raw)
        while true {
            rest = rest.drop { $0 == " " }
            if rest.isEmpty { break }
            let requirement = try Self.parseRequirement(&rest)
            requirements.append(requirement)
            rest = rest.drop { $0 == " " }
            if rest.isEmpty { break }
            guard rest.first == "," else {
                throw Status.badRequest("unable to parse requirement: found '\(rest.first!)', expected: ','")
            }
            rest = rest.dropFirst()
        }
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .isIn(let k, let vs): return labels[k].map(vs.contains) ?? false
            case .notIn(let k, let vs): return !(labels[k].map(vs.contains) ?? false)
            case .exists(let k): return labels[k] != nil
            case .doesNotExist(let k): return labels[k] == nil
            }
        }
    }

    private static func isIdentifierChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == "/"
    }

    private static func identifier(_ s: inout Substring) throws(Status) -> String {
        s = s.drop { $0 == " " }
        let id = s.prefix(while: isIdentifierChar)
        guard !id.isEmpty else {
            let found = s.first.map { "'\($0)'" } ?? "EOS"
            throw Status.badRequest("unable to parse requirement: found \(found), expected: identifier")
        }
        s = s.dropFirst(id.count)
        return String(id)
    }

    private static func parseRequirement(_ s: inout Substring) throws(Status) -> Requirement {
        if s.first == "!" {
            s = s.dropFirst()
            return .doesNotExist(try identifier(&s))
        }
        let key = try identifier(&s)
        s = s.drop { $0 == " " }
        if s.hasPrefix("!=") { s = s.dropFirst(2); return .notEquals(key, try value(&s)) }
        if s.hasPrefix("==") { s = s.dropFirst(2); return .equals(key, try value(&s)) }
        if s.hasPrefix("=") { s = s.dropFirst(1); return .equals(key, try value(&s)) }
        if s.hasPrefix("in ") || s.hasPrefix("in(") { s = s.dropFirst(2); return .isIn(key, try set(&s)) }
        if s.hasPrefix("notin ") || s.hasPrefix("notin(") { s = s.dropFirst(5); return .notIn(key, try set(&s)) }
        return .exists(key)
    }

    private static func value(_ s: inout Substring) throws(Status) -> String {
        s = s.drop { $0 == " " }
        let v = s.prefix(while: isIdentifierChar)
        s = s.dropFirst(v.count)
        return String(v)
    }

    private static func set(_ s: inout Substring) throws(Status) -> Set<String> {
        s = s.drop { $0 == " " }
        guard s.first == "(" else { throw Status.badRequest("unable to parse requirement: found '\(s.first.map(String.init) ?? "EOS")', expected: '('") }
        s = s.dropFirst()
        guard let close = s.firstIndex(of: ")") else { throw Status.badRequest("unable to parse requirement: found EOS, expected: ')'") }
        let values = s[..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        s = s[s.index(after: close)...]
        return Set(values)
    }
}

import Foundation

/// The field values each resource exposes to field selectors (KUBERNETES-API.md §1.1, §3.3).
enum SelectableFields {
    static let pods: Set<String> = [
        "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
        "status.nominatedNodeName",
    ]
    static let coreEvents: Set<String> = [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type", "metadata.name", "metadata.namespace",
    ]
    static let eventsAPI: Set<String> = [
        "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion",
        "regarding.resourceVersion", "regarding.fieldPath", "reason", "reportingController", "type",
        "metadata.name", "metadata.namespace",
    ]

    static func values(of object: StoredObject) -> [String: String] {
        switch object.body {
        case .pod(let p):
            return [
                "metadata.name": p.metadata.name, "metadata.namespace": p.metadata.namespace ?? "",
                "spec.nodeName": p.spec.nodeName ?? "", "spec.restartPolicy": p.spec.restartPolicy,
                "spec.schedulerName": p.spec.schedulerName ?? "", "spec.serviceAccountName": p.spec.serviceAccountName ?? "",
                "spec.hostNetwork": "false", "status.phase": p.status.phase, "status.podIP": p.status.podIP ?? "",
                "status.podIPs": p.status.podIP ?? "", "status.nominatedNodeName": "",
            ]
        case .event(let e):
            // The events.k8s.io names map onto the same index (KUBERNETES-API.md §3.3).
            var v: [String: String] = [
                "involvedObject.kind": e.regarding.kind, "involvedObject.namespace": e.regarding.namespace ?? "",
                "involvedObject.name": e.regarding.name, "involvedObject.uid": e.regarding.uid ?? "",
                "involvedObject.apiVersion": e.regarding.apiVersion,
                "involvedObject.resourceVersion": e.regarding.resourceVersion ?? "",
                "involvedObject.fieldPath": e.regarding.fieldPath ?? "", "reason": e.reason,
                "reportingComponent": e.reportingController, "reportingController": e.reportingController,
                "source": e.source?.component ?? "", "type": e.type,
                "metadata.name": e.metadata.name, "metadata.namespace": e.metadata.namespace ?? "",
            ]
            for (k, value) in v where k.hasPrefix("involvedObject.") {
                v["regarding." + k.dropFirst("involvedObject.".count)] = value
            }
            return v
        }
    }
}

/// The namespace and selectors a list or watch is narrowed by.
struct ObjectFilter: Sendable {
    var namespace: String?
    var fieldSelector: FieldSelector?
    var labelSelector: LabelSelector?

    func matches(_ object: StoredObject) -> Bool {
        if let namespace, object.key.namespace != namespace { return false }
        if let labelSelector, !labelSelector.matches(object.labels) { return false }
        if let fieldSelector, !fieldSelector.matches(SelectableFields.values(of: object)) { return false }
        return true
    }
}
