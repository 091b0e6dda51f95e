import Foundation

/// The `Status` object the API server returns for failures, in error bodies and in watch
/// `ERROR` events (KUBERNETES-API.md §8.1). When a body is not a Status (plain-text 429 from
/// API Priority & Fairness, 503 from the aggregator, 404 for an unknown group), one is
/// synthesised from the HTTP code with client-go's generic messages.
public struct KubeStatus: Decodable, Sendable, Hashable, Error, CustomStringConvertible {
    public var kind: String?
    public var status: String?
    public var message: String?
    /// `Expired`, `Gone`, `Forbidden`, `TooManyRequests`, … (empty means unknown).
    public var reason: String?
    public var code: Int?
    public var details: Details?
    public var metadata: ListMeta?

    public struct Details: Decodable, Sendable, Hashable {
        public var name: String?
        public var kind: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?
    }

    public struct Cause: Decodable, Sendable, Hashable {
        public var type: String?
        public var message: String?
        public var field: String?
        enum CodingKeys: String, CodingKey { case type = "reason", message, field }
    }

    public init(code: Int, reason: String?, message: String) {
        self.kind = "Status"
        self.status = "Failure"
        self.code = code
        self.reason = reason
        self.message = message
    }

    /// Builds the Status for a non-2xx response: the body if it is a Status, else a synthesised one.
    public static func from(httpCode: Int, body: [UInt8]) -> KubeStatus {
        if let decoded = try? KubeJSON.makeDecoder().decode(KubeStatus.self, from: Data(body)),
           decoded.kind == "Status" || decoded.reason != nil || decoded.message != nil {
            var s = decoded
            if s.code == nil || s.code == 0 { s.code = httpCode }
            return s
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch httpCode {
        case 401: return KubeStatus(code: 401, reason: "Unauthorized", message: "the server has asked for the client to provide credentials")
        case 403: return KubeStatus(code: 403, reason: "Forbidden", message: text.isEmpty ? "forbidden" : text)
        case 404: return KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        case 410: return KubeStatus(code: 410, reason: "Expired", message: text.isEmpty ? "gone" : text)
        case 429: return KubeStatus(code: 429, reason: "TooManyRequests", message: "the server has received too many requests and has asked us to try again later")
        case 503: return KubeStatus(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")
        case 504: return KubeStatus(code: 504, reason: "Timeout", message: "the server was unable to return a response in the time allotted, but may still be processing the request")
        case 500...599: return KubeStatus(code: httpCode, reason: "InternalError", message: "an error on the server (\"\(text)\") has prevented the request from succeeding")
        default: return KubeStatus(code: httpCode, reason: nil, message: text.isEmpty ? "unexpected HTTP status \(httpCode)" : text)
        }
    }

    /// 410, or reason Expired/Gone: the resourceVersion is too old, relist.
    public var isExpired: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    /// 504 with cause `ResourceVersionTooLarge` (or the older message): relist with RV unset.
    public var isTooLargeResourceVersion: Bool {
        if details?.causes?.contains(where: { $0.type == "ResourceVersionTooLarge" }) == true { return true }
        return code == 504 && (message ?? "").contains("Too large resource version")
    }

    public var description: String {
        "\(code.map(String.init) ?? "?") \(reason ?? ""): \(message ?? "")"
    }
}

/// `metadata` of a list (or of a Status that carries a new continue token).
public struct ListMeta: Decodable, Sendable, Hashable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int64?
}
