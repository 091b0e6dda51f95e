import Foundation

/// Where a cluster's cache lives: one file per (API server, context, namespace scope), so two
/// clusters, or a namespaced and a cluster-wide view of one, never mix their pods.
public enum DatabaseLocation {
    /// `$XDG_CACHE_HOME/kubeluma/`, or `~/.cache/kubeluma/` when XDG_CACHE_HOME is unset or not
    /// absolute (the XDG spec says to ignore relative values).
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("kubeluma", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".cache", isDirectory: true)
            .appendingPathComponent("kubeluma", isDirectory: true)
    }

    /// The database file for a scope; `override` (the `--db PATH` flag) wins when given.
    /// The name is readable (host, context, namespace) plus a hash of the exact triple, so two
    /// scopes whose readable parts sanitise to the same text still get different files.
    public static func databaseFile(
        server: String, context: String, namespace: String?, override: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let override, !override.isEmpty { return URL(fileURLWithPath: override) }
        let scope = namespace ?? "all-namespaces"
        let host = URL(string: server)?.host ?? server
        let readable = [host, context, scope].map(sanitise).joined(separator: "_")
        let hash = fnv1a64("\(server)\u{0}\(context)\u{0}\(scope)")
        let name = "\(readable.prefix(120))-\(String(hash, radix: 16)).sqlite"
        return cacheDirectory(environment: environment).appendingPathComponent(name)
    }

    static func sanitise(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        let mapped = String(text.map { allowed.contains($0) ? $0 : "-" })
        return mapped.isEmpty ? "-" : mapped
    }

    /// A stable hash (Swift's `Hasher` is seeded per process, so it cannot name files).
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
