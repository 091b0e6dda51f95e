import Foundation

/// Everything needed to talk to one cluster, as resolved from a kubeconfig (or in-cluster
/// configuration): where, how to trust it, and who we are. Credentials live only here and
/// in request headers; nothing prints them (`description` leaves them out).
public struct ClusterConnection: Sendable, CustomStringConvertible {
    /// The server URL, possibly with a path prefix (`https://rancher/k8s/clusters/c-1`).
    public var server: URL
    public var tls: TLSOptions
    public var proxy: String?
    public var disableCompression: Bool
    public var credentials: Credentials
    /// Impersonation headers (`Impersonate-User`, …), sent as they are.
    public var impersonationHeaders: [(String, String)]
    /// The context's namespace (`default` when it names none): the fallback scope.
    public var namespace: String
    /// The context's name, for messages.
    public var contextName: String

    public init(server: URL, tls: TLSOptions = TLSOptions(), proxy: String? = nil, disableCompression: Bool = false,
                credentials: Credentials = .none, impersonationHeaders: [(String, String)] = [],
                namespace: String = "default", contextName: String = "") {
        self.server = server
        self.tls = tls
        self.proxy = proxy
        self.disableCompression = disableCompression
        self.credentials = credentials
        self.impersonationHeaders = impersonationHeaders
        self.namespace = namespace
        self.contextName = contextName
    }

    /// Whether credentials may be sent: over https, or plain http only to this machine.
    /// A token sent in clear text over a network is a token given away.
    public var mayCarryCredentials: Bool {
        if server.scheme?.lowercased() == "https" { return true }
        let host = (server.host ?? "").lowercased()
        return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    public var description: String {
        "cluster \(server.absoluteString) context \"\(contextName)\" namespace \"\(namespace)\" auth \(credentials.kindName)"
    }
}

/// How the client proves who it is. Client certificates live in `TLSOptions`.
public enum Credentials: Sendable {
    case none
    case token(String)
    /// A file re-read at most once a minute (rotated service-account tokens); `fallback` is
    /// the inline token used only while the file has never been readable.
    case tokenFile(path: String, fallback: String?)
    case basic(username: String, password: String)
    case exec(ExecConfig)

    /// Whether asking again can give a different credential (so a 401 is worth one retry).
    var isRefreshable: Bool {
        switch self {
        case .tokenFile, .exec: true
        default: false
        }
    }

    var kindName: String {
        switch self {
        case .none: "none"
        case .token: "token"
        case .tokenFile: "token file"
        case .basic: "basic"
        case .exec: "exec plugin"
        }
    }
}
