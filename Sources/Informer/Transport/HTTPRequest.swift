import Foundation

/// One HTTP GET for the transport: URL, headers and the connection settings of its cluster.
/// The transport knows nothing about Kubernetes or JSON; the client fills this in.
public struct HTTPRequest: Sendable {
    public var url: String
    /// Header lines as name/value pairs (the Authorization header among them).
    public var headers: [(String, String)]
    public var tls: TLSOptions
    /// `http://`, `https://` or `socks5h://` proxy; nil uses libcurl's environment handling.
    public var proxy: String?
    public var connectTimeout: Duration
    /// The transfer is aborted when no byte arrives for this long (a silent watch is dead).
    public var idleTimeout: Duration?
    /// Overall limit for non-streaming requests; never set on watches or log follows.
    public var totalTimeout: Duration?
    /// Send `Accept-Encoding` and decode gzip (kubeconfig `disable-compression` turns it off).
    public var acceptCompression: Bool

    public init(url: String, headers: [(String, String)] = [], tls: TLSOptions = TLSOptions(), proxy: String? = nil,
                connectTimeout: Duration = .seconds(10), idleTimeout: Duration? = nil, totalTimeout: Duration? = nil,
                acceptCompression: Bool = true) {
        self.url = url
        self.headers = headers
        self.tls = tls
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
        self.acceptCompression = acceptCompression
    }
}

/// TLS material for one cluster, as PEM bytes (kubeconfig `-data` fields or files read by
/// the config loader), handed to libcurl as blobs without temporary files.
public struct TLSOptions: Sendable, Hashable {
    /// Replaces the system trust store for this cluster when set.
    public var caPEM: [UInt8]?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var insecureSkipVerify: Bool
    /// Verify the server as this name (and send it as SNI) instead of the URL's host.
    public var serverName: String?

    public init(caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
                insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}

/// The status line and headers of a response.
public struct ResponseHead: Sendable, Equatable {
    public var status: Int
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]

    public init(status: Int, headers: [String: String] = [:]) {
        self.status = status
        self.headers = headers
    }

    /// `Retry-After` in seconds (the API server sends whole seconds).
    public var retryAfter: Duration? {
        guard let v = headers["retry-after"], let s = Int(v.trimmingCharacters(in: .whitespaces)), s >= 0 else { return nil }
        return .seconds(s)
    }
}

/// A transfer failed below HTTP (no response, or the body broke off).
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connectionRefused
        case timedOut
        case tls
        case dns
        case connectionLost
        case cancelled
        case other
    }
    public var kind: Kind
    /// libcurl's explanation (no request headers, so no credentials).
    public var message: String
    public var curlCode: Int

    public init(kind: Kind, message: String, curlCode: Int = 0) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { message }
}

