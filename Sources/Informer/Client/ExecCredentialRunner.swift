import Foundation

/// What an exec credential plugin returned.
public struct ExecCredential: Sendable, Equatable {
    public var token: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var expiration: Date?
}

/// Runs a kubeconfig exec plugin and reads its `ExecCredential` (KUBERNETES-API.md §7.4).
/// kubeluma is not interactive (it runs as a server), so `interactiveMode: Always` is an error
/// telling the user to log in from a terminal first.
struct ExecCredentialRunner: Sendable {
    let config: ExecConfig
    let contextName: String
    /// The `spec.cluster` object when `provideClusterInfo` is set.
    let clusterInfo: [String: String]

    func run() async throws -> ExecCredential {
        if config.interactiveMode == "Always" {
            throw KubeClientError.credentials(
                "the exec plugin \(config.command) of context \"\(contextName)\" needs interactive input (interactiveMode: Always); run it in a terminal to log in first")
        }
        guard let executable = resolveExecutable() else {
            var message = "exec plugin for context \"\(contextName)\": executable \(config.command) not found"
            if let hint = config.installHint, !hint.isEmpty { message += "\n\(hint)" }
            throw KubeClientError.credentials(message)
        }
        var info: [String: Any] = ["apiVersion": config.apiVersion, "kind": "ExecCredential", "spec": ["interactive": false]]
        if config.provideClusterInfo { info["spec"] = ["interactive": false, "cluster": clusterInfo] }
        let infoJSON = String(decoding: try JSONSerialization.data(withJSONObject: info), as: UTF8.self)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in config.env { env[k] = v }
        env["KUBERNETES_EXEC_INFO"] = infoJSON
        let (status, stdout, stderr) = try await Self.execute(executable, args: config.args, env: env)
        guard status == 0 else {
            let err = String(decoding: stderr.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubeClientError.credentials("exec plugin \(config.command) for context \"\(contextName)\" failed with exit status \(status): \(err)")
        }
        return try parse(stdout)
    }

    func parse(_ stdout: [UInt8]) throws -> ExecCredential {
        struct Output: Decodable {
            struct Status: Decodable {
                var token: String?
                var clientCertificateData: String?
                var clientKeyData: String?
                var expirationTimestamp: String?
            }
            var apiVersion: String?
            var kind: String?
            var status: Status?
        }
        let where_ = "exec plugin \(config.command) for context \"\(contextName)\""
        guard let out = try? JSONDecoder().decode(Output.self, from: Data(stdout)) else {
            throw KubeClientError.credentials("\(where_) did not print an ExecCredential as JSON")
        }
        guard out.apiVersion == config.apiVersion else {
            throw KubeClientError.credentials("\(where_) returned apiVersion \"\(out.apiVersion ?? "")\", but the kubeconfig asks for \"\(config.apiVersion)\"")
        }
        guard let status = out.status else { throw KubeClientError.credentials("\(where_) returned an ExecCredential without status") }
        let hasToken = !(status.token ?? "").isEmpty
        let hasCert = !(status.clientCertificateData ?? "").isEmpty && !(status.clientKeyData ?? "").isEmpty
        guard hasToken || hasCert else {
            throw KubeClientError.credentials("\(where_) returned neither a token nor a client certificate and key")
        }
        var expiration: Date?
        if let t = status.expirationTimestamp {
            guard let d = KubeTime.parse(t) else { throw KubeClientError.credentials("\(where_) returned an invalid expirationTimestamp") }
            expiration = d
        }
        return ExecCredential(token: hasToken ? status.token : nil,
                              clientCertificatePEM: hasCert ? Array(status.clientCertificateData!.utf8) : nil,
                              clientKeyPEM: hasCert ? Array(status.clientKeyData!.utf8) : nil, expiration: expiration)
    }

    /// A command with a `/` was already resolved against the kubeconfig's folder; a bare
    /// name is looked up in PATH like a shell would.
    func resolveExecutable() -> String? {
        let fm = FileManager.default
        if config.command.contains("/") { return fm.isExecutableFile(atPath: config.command) ? config.command : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(config.command)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a process off the cooperative pool (its pipes block) with stdin closed.
    static func execute(_ path: String, args: [String], env: [String: String]) async throws -> (Int32, [UInt8], [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = args
                process.environment = env
                let out = Pipe(), err = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: KubeClientError.credentials("could not start exec plugin \(path): \(error.localizedDescription)"))
                    return
                }
                // Read stderr on its own thread so neither pipe can fill up and stall the plugin.
                let errData = LockedBytes()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errData.set([UInt8](err.fileHandleForReading.readDataToEndOfFile()))
                    group.leave()
                }
                let outBytes = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, outBytes, errData.get()))
            }
        }
    }
}

final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func set(_ b: [UInt8]) { lock.lock(); bytes = b; lock.unlock() }
    func get() -> [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes }
}
