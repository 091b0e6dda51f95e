import Foundation

/// Everything that shapes a simulated cluster. Defaults give a small, lively cluster; the
/// benchmark raises `pods` to 10,000+.
public struct SimulatorConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 binds a free port.
    public var port = 0
    public var pods = 200
    /// nil: about one namespace per 200 pods, between 3 and 50.
    public var namespaces: Int?
    public var seed: UInt64 = 42
    /// At least this many events at start: each pod's own history first (about four per pod),
    /// then the lifecycle events of its other containers and probe warnings, round-robin over
    /// the pods. nil: the pods' own histories only.
    public var events: Int?
    /// Churn actions per second (restarts, rollouts, re-creations, event repeats). 0 = static.
    public var churnPerSecond: Double = 1
    public var eventTTL: TimeInterval = 3600
    /// The bearer token clients must send.
    public var token = "kubeluma-sim-token"
    /// When set, cluster-wide lists and watches, and every other namespace, are forbidden (403)
    /// for the token's user; only this namespace may be read.
    public var restrictedNamespace: String?
    public var metricsEnabled = true
    /// Names the last pod `xss-probe-0` and puts an HTML payload in its image, an env value, its
    /// last termination message and an event message: what a UI must show as text.
    public var hostilePod = false
    /// Off: `sendInitialEvents` is refused with 422, as on servers without the WatchList gate.
    public var watchListEnabled = true
    /// Changes kept for watch resumption; resuming from before them gets 410.
    public var historyLimit = 100_000
    public var bookmarkInterval: TimeInterval = 60
    /// Frames a watch may fall behind before the server drops it.
    public var watcherBuffer = 200_000
    public var continueTokenTTL: TimeInterval = 300
    /// Log lines each running container writes per second.
    public var logLinesPerSecond: Double = 2
    /// The name of the user the token authenticates as (appears in 403 messages).
    public var userName = "kubeluma-sim-user"
    /// Serve HTTPS with a generated CA (kubectl sends tokens only over TLS).
    public var tls = true
    /// Where the generated CA and certificates live; nil = a fresh temporary folder.
    public var tlsDirectory: URL?
    /// Require a client certificate signed by the simulator's CA (it then authenticates the
    /// client instead of the bearer token).
    public var requireClientCertificate = false

    public init() {}

    var namespaceCount: Int { namespaces ?? min(50, max(3, pods / 200)) }
}
