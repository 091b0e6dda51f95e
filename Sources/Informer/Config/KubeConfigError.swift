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
            return "user \"\(user)\" uses the legacy auth-provider \"\(name)\", which kubeluma does not support: use an exec credential plugin (e.g. kubelogin or the cloud CLI's get-token)"
        case .incompleteClientCertificate(let user):
            return "user \"\(user)\" has a client certificate without a key, or a key without a certificate"
        }
    }
}
