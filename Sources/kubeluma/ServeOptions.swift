import ArgumentParser
import Foundation
import Logging
import Store

/// The seed's `serve` flags, shared by `serve` and `demo`.
struct ServeOptions: ParsableArguments {
    @Option(help: "Pod name regex to start with (otherwise it is asked for in the browser).")
    var pod: String?
    @Option(help: "Watch only this namespace (default: all namespaces).")
    var namespace: String?
    @Option(help: "Bind host (env KUBELUMA_HOST).")
    var host: String = ProcessInfo.processInfo.environment["KUBELUMA_HOST"] ?? "localhost"
    @Option(help: "Port, 0 for a free one (env KUBELUMA_PORT).")
    var port: Int = ProcessInfo.processInfo.environment["KUBELUMA_PORT"].flatMap(Int.init) ?? 8080
    @Flag(name: .customLong("no-open"), help: "Do not open a browser.")
    var noOpen = false
    @Option(name: .customLong("metrics-interval"), help: "Seconds between metrics reads for the focused pod.")
    var metricsInterval: Double = 5
    @Option(help: "The cache database file (default: one per cluster, context and namespace under ~/.cache/kubeluma); :memory: keeps nothing on disk.")
    var db: String?
    @Option(help: "How long deleted pods, expired events and terminations are kept, e.g. 7d, 36h, 90m.")
    var history: String = "7d"
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    mutating func validate() throws {
        if let pod {
            do { _ = try RegexPattern(pod) } catch {
                throw ValidationError("--pod is not a valid regex: \(error). Example: --pod '^api-'")
            }
            if pod.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--pod is empty: give a regex such as '^api-'.") }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (0 picks a free port).") }
        guard metricsInterval > 0, metricsInterval.isFinite else { throw ValidationError("--metrics-interval must be a number of seconds above 0.") }
        guard Self.duration(history) != nil else { throw ValidationError("--history must be a duration such as 7d, 36h or 90m.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        if let namespace, namespace.isEmpty { throw ValidationError("--namespace is empty: name a namespace, or leave it out for all.") }
    }

    /// `7d`, `36h`, `90m`, `45s`, or a bare number of seconds.
    static func duration(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value > 0 { return value * scale }
        if let value = Double(text), value > 0 { return value }
        return nil
    }

    var logger: Logger {
        var logger = Logger(label: "kubeluma")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }
}
