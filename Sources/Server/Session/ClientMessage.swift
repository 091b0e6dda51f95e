import Foundation

/// A frame from the browser, validated. Anything else is refused with a sentence saying why,
/// and the connection stays open.
enum ClientMessage: Equatable {
    case subscribePods
    case focus(pod: String?, namespace: String?)
    case subscribeLogs(LogRequest)
    case unsubscribeLogs(LogRequest)

    struct LogRequest: Equatable {
        var pod: String
        var namespace: String?
        var container: String
        var tailLines: Int
        var previous: Bool
        var timestamps: Bool
    }

    struct Refusal: Error, Equatable { var message: String }

    static func parse(_ text: String) throws(Refusal) -> ClientMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) else {
            throw Refusal(message: "frame is not JSON")
        }
        guard let dict = object as? [String: Any] else { throw Refusal(message: "frame is not a JSON object") }
        guard let action = dict["action"] as? String else { throw Refusal(message: "frame has no \"action\"") }
        func string(_ key: String) -> String? { (dict[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        switch action {
        case "subscribe", "unsubscribe":
            switch dict["channel"] as? String {
            case "pod" where action == "subscribe":
                return .subscribePods
            case "logs":
                guard let pod = string("pod") else { throw Refusal(message: "logs subscription needs \"pod\"") }
                guard let container = string("container") else { throw Refusal(message: "logs subscription needs \"container\"") }
                let tail = (dict["tailLines"] as? Int).map { min(max($0, 0), 50_000) } ?? 500
                let request = LogRequest(pod: pod, namespace: string("namespace"), container: container, tailLines: tail,
                                         previous: dict["previous"] as? Bool ?? false, timestamps: dict["timestamps"] as? Bool ?? false)
                return action == "subscribe" ? .subscribeLogs(request) : .unsubscribeLogs(request)
            case let other:
                throw Refusal(message: "unknown channel \(other.map { "\"\($0)\"" } ?? "(none)") for \(action)")
            }
        case "focus":
            if dict["pod"] is NSNull || dict["pod"] == nil { return .focus(pod: nil, namespace: nil) }
            guard let pod = string("pod") else { throw Refusal(message: "focus needs \"pod\" (a name, or null)") }
            return .focus(pod: pod, namespace: string("namespace"))
        default:
            throw Refusal(message: "unknown action \"\(action)\"")
        }
    }
}
