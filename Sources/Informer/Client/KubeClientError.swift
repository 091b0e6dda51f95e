/// A failed API call, as callers branch on it.
public enum KubeClientError: Error, Sendable, CustomStringConvertible {
    /// A non-2xx response (its Status, synthesised when the body was not one).
    case status(KubeStatus, retryAfter: Duration?)
    /// No usable response.
    case transport(TransportError)
    /// Credentials could not be obtained (exec plugin failed, token file unreadable, …).
    case credentials(String)
    /// The body could not be decoded.
    case decoding(String)

    public var description: String {
        switch self {
        case .status(let s, _): s.message ?? "HTTP \(s.code ?? 0)"
        case .transport(let t): t.message
        case .credentials(let m): m
        case .decoding(let m): m
        }
    }

    /// The HTTP status code, if the server answered.
    public var statusCode: Int? {
        if case .status(let s, _) = self { return s.code }
        return nil
    }

    /// The reflector's view of this failure.
    public var requestFailure: RequestFailure {
        switch self {
        case .status(let s, let r): .status(s, retryAfter: r)
        case .transport(let t): .connection(t.message)
        case .credentials(let m): .connection(m)
        case .decoding(let m): .decoding(m)
        }
    }
}
