import Foundation
import Logging

/// What `kubeluma serve` was asked for, already validated by the CLI.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 binds a free port.
    public var port: Int
    /// `--pod`: the pattern to start with (no overlay is shown then).
    public var initialPattern: String?
    public var metricsInterval: Duration
    /// Required on every request when bound to a non-loopback address.
    public var accessToken: String?
    public var logger: Logger

    public init(host: String, port: Int, initialPattern: String?, metricsInterval: Duration,
                accessToken: String?, logger: Logger) {
        self.host = host
        self.port = port
        self.initialPattern = initialPattern
        self.metricsInterval = metricsInterval
        self.accessToken = accessToken
        self.logger = logger
    }

    /// Loopback addresses are only reachable from this machine; anything else needs the token.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
