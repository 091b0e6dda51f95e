/// Why a kubeconfig could not be turned into a connection. Every case names the file, context
/// or field to fix, and none carries a credential.
public enum KubeConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    case noConfiguration(searched: [String])
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case noCurrentContext(files: [String])
    case unknownContext(String, available: [String])
    case missingCluster(context: String, cluster: String?)
    case missingUser(context: String, user: String)
    case missingServer(cluster: String)
    case invalidServer(cluster: String, server: String)
    case missingFile(field: String, path: String, owner: String)
    case invalidData(field: String, owner: String)
    case conflictingTLS(cluster: String)
    case unsupportedAuthProvider(user: String, name: String)
    case incompleteClientCertificate(user: String)
    case unreadableClientCertificate(user: String, source: String)
    /// `validFrom`/`validUntil`: RFC 3339 UTC.
    case clientCertificateExpired(user: String, source: String, validUntil: String)
    case clientCertificateNotYetValid(user: String, source: String, validFrom: String)

    public var description: String {
        switch self {
        case .noConfiguration(let searched):
            return "no kubeconfig found (looked at \(searched.joined(separator: ", ")) and for in-cluster configuration): pass --kubeconfig FILE or set KUBECONFIG"
        case .unreadable(let path, let reason):
            return "cannot read kubeconfig \(path): \(reason)"
        case .malformed(let path, let reason):
            return "kubeconfig \(path) is not valid YAML for a kubeconfig: \(reason)"
        case .noCurrentContext(let files):
            return "kubeconfig (\(files.joined(separator: ", "))) sets no current-context: pass --context NAME"
        case .unknownContext(let name, let available):
            return "context \"\(name)\" is not in the kubeconfig; available: \(available.isEmpty ? "(none)" : available.joined(separator: ", "))"
        case .missingCluster(let context, let cluster):
            return cluster.map { "context \"\(context)\" names cluster \"\($0)\", which the kubeconfig does not define" }
                ?? "context \"\(context)\" names no cluster"
        case .missingUser(let context, let user):
            return "context \"\(context)\" names user \"\(user)\", which the kubeconfig does not define"
        case .missingServer(let cluster):
            return "cluster \"\(cluster)\" has no server URL"
        case .invalidServer(let cluster, let server):
            return "cluster \"\(cluster)\" has a server that is not a URL: \(server)"
        case .missingFile(let field, let path, let owner):
            return "\(owner): \(field) \(path) cannot be read"
        case .invalidData(let field, let owner):
            return "\(owner): \(field) is not valid base64"
        case .conflictingTLS(let cluster):
            return "cluster \"\(cluster)\" sets both a certificate authority and insecure-skip-tls-verify; kubectl refuses this too: remove one"
        case .unsupportedAuthProvider(let user, let name):
            // What kubectl itself has told users since these providers were removed (1.26).
            let remedy = switch name {
            case "gcp": "install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` to rewrite the kubeconfig to use it"
            case "azure": "run `kubelogin convert-kubeconfig -l azurecli` (Azure kubelogin) to switch it to the exec plugin"
            case "oidc": "use an OIDC exec plugin instead, e.g. `kubectl oidc-login` (int128/kubelogin)"
            default: "use an exec credential plugin instead (the cloud CLI's get-token, or kubelogin)"
            }
            return "user \"\(user)\" uses the auth-provider \"\(name)\", which kubectl and kubeluma no longer support: \(remedy)"
        case .incompleteClientCertificate(let user):
            return "user \"\(user)\" has a client certificate without a key, or a key without a certificate"
        case .unreadableClientCertificate(let user, let source):
            return "user \"\(user)\": \(source) is not a PEM certificate"
        case .clientCertificateExpired(let user, let source, let validUntil):
            return "user \"\(user)\": the client certificate (\(source)) expired at \(validUntil); the API server will refuse it. Renew it (kubeadm clusters: kubeadm certs renew) or get a fresh kubeconfig"
        case .clientCertificateNotYetValid(let user, let source, let validFrom):
            return "user \"\(user)\": the client certificate (\(source)) is not valid before \(validFrom); check this machine's clock"
        }
    }
}
