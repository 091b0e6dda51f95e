import Foundation

/// Finds and reads kubeconfig the way kubectl does (KUBERNETES-API.md §7): `--kubeconfig`, else
/// every file in `KUBECONFIG` (merged: the first file to define a name wins it whole; the first
/// `current-context` wins; missing files are skipped), else `~/.kube/config`, else in-cluster
/// configuration. Then resolves one context into a `ClusterConnection`, with paths relative to
/// the file that named them.
public struct KubeConfigLoader: Sendable {
    public var environment: [String: String]
    /// The service-account folder for in-cluster configuration.
    public var serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// The clock a client certificate's validity is judged by (injected by tests).
    public var now: @Sendable () -> Date = { Date() }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Entries as merged, each with the folder of the file that defined it.
    struct Merged {
        var clusters: [String: (KubeConfigFile.Cluster, String)] = [:]
        var users: [String: (KubeConfigFile.User, String)] = [:]
        var contexts: [String: KubeConfigFile.Context] = [:]
        var currentContext: String?
        var files: [String] = []
    }

    public func load(explicitPath: String?, context override: String?) throws(KubeConfigError) -> ClusterConnection {
        let paths: [String]
        var mustExist = false
        if let explicitPath, !explicitPath.isEmpty {
            paths = [expand(explicitPath)]
            mustExist = true
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            paths = list.split(separator: ":").map { expand(String($0)) }
        } else {
            paths = [expand("~/.kube/config")]
        }
        var merged = Merged()
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else {
                if mustExist { throw .unreadable(path: path, reason: "no such file") }
                continue
            }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
            }
            let file = try KubeConfigFile.parse(text, path: path)
            let dir = (path as NSString).deletingLastPathComponent
            merged.files.append(path)
            for c in file.clusters ?? [] where merged.clusters[c.name] == nil { merged.clusters[c.name] = (c.value ?? .init(), dir) }
            for u in file.users ?? [] where merged.users[u.name] == nil { merged.users[u.name] = (u.value ?? .init(), dir) }
            for c in file.contexts ?? [] where merged.contexts[c.name] == nil { merged.contexts[c.name] = c.value ?? .init() }
            if merged.currentContext == nil, let current = file.currentContext, !current.isEmpty { merged.currentContext = current }
        }
        if merged.files.isEmpty {
            if override == nil, let inCluster = try inClusterConnection() { return inCluster }
            throw .noConfiguration(searched: paths)
        }
        return try resolve(merged, context: override)
    }

    func resolve(_ merged: Merged, context override: String?) throws(KubeConfigError) -> ClusterConnection {
        guard let contextName = override ?? merged.currentContext else { throw .noCurrentContext(files: merged.files) }
        guard let context = merged.contexts[contextName] else {
            throw .unknownContext(contextName, available: merged.contexts.keys.sorted())
        }
        guard let clusterName = context.cluster, let (cluster, clusterDir) = merged.clusters[clusterName] else {
            throw .missingCluster(context: contextName, cluster: context.cluster)
        }
        guard let serverText = cluster.server, !serverText.isEmpty else { throw .missingServer(cluster: clusterName) }
        guard let server = URL(string: serverText), server.scheme != nil, server.host != nil else {
            throw .invalidServer(cluster: clusterName, server: serverText)
        }
        let clusterOwner = "cluster \"\(clusterName)\""
        var tls = TLSOptions(insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false, serverName: cluster.tlsServerName)
        tls.caPEM = try material(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
                                 field: "certificate-authority", dir: clusterDir, owner: clusterOwner)
        if tls.caPEM != nil && tls.insecureSkipVerify { throw .conflictingTLS(cluster: clusterName) }

        var credentials = Credentials.none
        var impersonation: [(String, String)] = []
        if let userName = context.user, !userName.isEmpty {
            guard let (user, userDir) = merged.users[userName] else { throw .missingUser(context: contextName, user: userName) }
            let owner = "user \"\(userName)\""
            if let provider = user.authProvider { throw .unsupportedAuthProvider(user: userName, name: provider.name ?? "?") }
            tls.clientCertificatePEM = try material(data: user.clientCertificateData, file: user.clientCertificate,
                                                    field: "client-certificate", dir: userDir, owner: owner)
            tls.clientKeyPEM = try material(data: user.clientKeyData, file: user.clientKey, field: "client-key", dir: userDir, owner: owner)
            if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) { throw .incompleteClientCertificate(user: userName) }
            if let pem = tls.clientCertificatePEM {
                let source = user.clientCertificateData.map { $0.isEmpty } == false
                    ? "client-certificate-data" : "client-certificate \(absolute(user.clientCertificate ?? "", dir: userDir))"
                try checkValidity(pem, user: userName, source: source)
            }
            if let exec = user.exec, let command = exec.command {
                // A command with a slash is a path relative to the kubeconfig; a bare name is looked up in PATH.
                let resolved = command.contains("/") && !command.hasPrefix("/")
                    ? ((userDir as NSString).appendingPathComponent(command) as NSString).standardizingPath : command
                credentials = .exec(ExecConfig(
                    apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1", command: resolved, args: exec.args ?? [],
                    env: Dictionary((exec.env ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
                    interactiveMode: exec.interactiveMode ?? "IfAvailable", provideClusterInfo: exec.provideClusterInfo ?? false,
                    installHint: exec.installHint))
            } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
                credentials = .tokenFile(path: absolute(tokenFile, dir: userDir), fallback: user.token)
            } else if let token = user.token, !token.isEmpty {
                credentials = .token(token)
            } else if let username = user.username, let password = user.password {
                credentials = .basic(username: username, password: password)
            }
            if let who = user.impersonate { impersonation.append(("Impersonate-User", who)) }
            for group in user.impersonateGroups ?? [] { impersonation.append(("Impersonate-Group", group)) }
            if let uid = user.impersonateUID { impersonation.append(("Impersonate-Uid", uid)) }
            for (key, values) in (user.impersonateExtra ?? [:]).sorted(by: { $0.key < $1.key }) {
                for value in values { impersonation.append(("Impersonate-Extra-\(Self.headerSafe(key))", value)) }
            }
        }
        return ClusterConnection(server: server, tls: tls, proxy: cluster.proxyURL, disableCompression: cluster.disableCompression ?? false,
                                 credentials: credentials, impersonationHeaders: impersonation,
                                 namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default", contextName: contextName)
    }

    /// An expired (or not yet valid) client certificate would only earn a bare 401 from the API
    /// server; saying which one and when is the useful error.
    private func checkValidity(_ pem: [UInt8], user: String, source: String) throws(KubeConfigError) {
        guard let validity = CertificateValidity(pem: pem) else { throw .unreadableClientCertificate(user: user, source: source) }
        let now = now()
        if now > validity.notAfter {
            throw .clientCertificateExpired(user: user, source: source, validUntil: validity.notAfter.formatted(.iso8601))
        }
        if now < validity.notBefore {
            throw .clientCertificateNotYetValid(user: user, source: source, validFrom: validity.notBefore.formatted(.iso8601))
        }
    }

    /// An `as-user-extra` key as a header-name suffix: percent-encoded outside the characters a
    /// header name allows, as client-go does (the API server decodes it back).
    static func headerSafe(_ key: String) -> String {
        let allowed = Set("!#$&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        return key.utf8.map { allowed.contains($0) && $0 != UInt8(ascii: "%") ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    /// The `-data` field (base64) wins over the file field.
    private func material(data: String?, file: String?, field: String, dir: String, owner: String) throws(KubeConfigError) -> [UInt8]? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw .invalidData(field: "\(field)-data", owner: owner)
            }
            return Array(decoded)
        }
        guard let file, !file.isEmpty else { return nil }
        let path = absolute(file, dir: dir)
        guard let contents = FileManager.default.contents(atPath: path) else { throw .missingFile(field: field, path: path, owner: owner) }
        return Array(contents)
    }

    private func absolute(_ path: String, dir: String) -> String {
        let expanded = expand(path)
        return expanded.hasPrefix("/") ? expanded : (dir as NSString).appendingPathComponent(expanded)
    }

    private func expand(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    /// In a pod: the API server from the environment, the service account's token (re-read as it
    /// rotates), CA and namespace.
    func inClusterConnection() throws(KubeConfigError) -> ClusterConnection? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"],
              FileManager.default.fileExists(atPath: serviceAccountDirectory + "/token") else { return nil }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else { return nil }
        let ca = FileManager.default.contents(atPath: serviceAccountDirectory + "/ca.crt").map(Array.init)
        let namespace = (try? String(contentsOfFile: serviceAccountDirectory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return ClusterConnection(server: server, tls: TLSOptions(caPEM: ca),
                                 credentials: .tokenFile(path: serviceAccountDirectory + "/token", fallback: nil),
                                 namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default", contextName: "in-cluster")
    }
}
