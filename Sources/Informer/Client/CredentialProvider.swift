import Foundation

/// What to add to a request to authenticate it.
struct AuthMaterial: Sendable {
    var authorization: String?
    /// Client certificate from an exec plugin (overrides the kubeconfig's, if any).
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    /// Which credential this is, so a 401 refreshes it only once.
    var generation: Int
}

/// Produces credentials for requests: static tokens, token files re-read at most once a
/// minute (rotated service-account tokens), basic auth, and exec plugins cached until their
/// expiry, refreshed once per generation after a 401, and run one at a time.
actor CredentialProvider {
    private let credentials: Credentials
    private let contextName: String
    private let clusterInfo: [String: String]
    private let now: @Sendable () -> Date
    private var generation = 0
    private var cachedExec: ExecCredential?
    private var inflightExec: Task<ExecCredential, any Error>?
    private var fileToken: String?
    private var fileReadAt: Date?
    static let tokenFileRefresh: TimeInterval = 60

    init(credentials: Credentials, contextName: String, clusterInfo: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        self.credentials = credentials
        self.contextName = contextName
        self.clusterInfo = clusterInfo
        self.now = now
    }

    func material() async throws -> AuthMaterial {
        switch credentials {
        case .none:
            return AuthMaterial(generation: generation)
        case .token(let t):
            return AuthMaterial(authorization: "Bearer \(t)", generation: generation)
        case .basic(let u, let p):
            return AuthMaterial(authorization: "Basic \(Data("\(u):\(p)".utf8).base64EncodedString())", generation: generation)
        case .tokenFile(let path, let fallback):
            if fileReadAt == nil || now().timeIntervalSince(fileReadAt!) >= Self.tokenFileRefresh {
                readTokenFile(path)
            }
            guard let token = fileToken ?? fallback else {
                throw KubeClientError.credentials("cannot read the token file \(path) of context \"\(contextName)\"")
            }
            return AuthMaterial(authorization: "Bearer \(token)", generation: generation)
        case .exec(let config):
            let cred = try await execCredential(config)
            return AuthMaterial(authorization: cred.token.map { "Bearer \($0)" }, clientCertificatePEM: cred.clientCertificatePEM,
                                clientKeyPEM: cred.clientKeyPEM, generation: generation)
        }
    }

    /// After a 401 with credentials of `generation`: drop them so the next request gets fresh
    /// ones. A second 401 for the same generation changes nothing (one refresh only).
    func unauthorized(generation failed: Int) {
        guard failed == generation else { return }
        generation += 1
        cachedExec = nil
        fileReadAt = nil
    }

    private func readTokenFile(_ path: String) {
        fileReadAt = now()
        // A failed re-read keeps the last good token.
        if let data = FileManager.default.contents(atPath: path) {
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { fileToken = token }
        }
    }

    private func execCredential(_ config: ExecConfig) async throws -> ExecCredential {
        if let c = cachedExec, c.expiration.map({ $0 > now() }) ?? true { return c }
        if let running = inflightExec { return try await running.value }
        let runner = ExecCredentialRunner(config: config, contextName: contextName, clusterInfo: clusterInfo)
        let task = Task { try await runner.run() }
        inflightExec = task
        defer { inflightExec = nil }
        let c = try await task.value
        cachedExec = c
        return c
    }
}
