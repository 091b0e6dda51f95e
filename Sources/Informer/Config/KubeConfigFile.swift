import Foundation
import Yams

/// One kubeconfig file as written (YAML, or JSON which is YAML too), before merging. Every
/// field is optional: validation happens when a context is resolved, so the error can name the
/// context and the field that is missing.
struct KubeConfigFile: Decodable {
    struct Named<T: Decodable>: Decodable {
        var name: String
        var value: T?

        enum CodingKeys: String, CodingKey { case name, cluster, user, context }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            value = try c.decodeIfPresent(T.self, forKey: .cluster)
                ?? c.decodeIfPresent(T.self, forKey: .user)
                ?? c.decodeIfPresent(T.self, forKey: .context)
        }
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?
        var proxyURL: String?
        var disableCompression: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
            case disableCompression = "disable-compression"
        }
    }

    struct User: Decodable {
        struct Exec: Decodable {
            struct EnvVar: Decodable { var name: String; var value: String }
            var apiVersion: String?
            var command: String?
            var args: [String]?
            var env: [EnvVar]?
            var interactiveMode: String?
            var provideClusterInfo: Bool?
            var installHint: String?
        }
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var password: String?
        var exec: Exec?
        var authProvider: AuthProvider?
        var impersonate: String?
        var impersonateGroups: [String]?
        var impersonateUID: String?
        var impersonateExtra: [String: [String]]?

        struct AuthProvider: Decodable { var name: String? }

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, username, password, exec
            case authProvider = "auth-provider"
            case impersonate = "as"
            case impersonateGroups = "as-groups"
            case impersonateUID = "as-uid"
            case impersonateExtra = "as-user-extra"
        }
    }

    struct Context: Decodable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    var clusters: [Named<Cluster>]?
    var users: [Named<User>]?
    var contexts: [Named<Context>]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    /// Parses a file; an empty file is an empty config (kubectl treats it so).
    static func parse(_ text: String, path: String) throws(KubeConfigError) -> KubeConfigFile {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return KubeConfigFile() }
        do {
            return try YAMLDecoder().decode(KubeConfigFile.self, from: text)
        } catch {
            throw .malformed(path: path, reason: Self.describe(error))
        }
    }

    private static func describe(_ error: Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
                let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
            @unknown default: break
            }
        }
        return "\(error)"
    }
}
