import Foundation

extension KubeconfigLoader {
    /// Picks the context and turns its cluster and user into a connection.
    func resolve(_ merged: Merged) throws(KubeconfigError) -> ClusterConnection {
        let files = merged.files.isEmpty ? "no kubeconfig file" : merged.files.joined(separator: ", ")
        guard let contextName = context ?? merged.currentContext, !contextName.isEmpty else {
            if merged.isEmpty { throw KubeconfigError("invalid configuration: no configuration has been provided (looked at \(files))") }
            throw KubeconfigError("no current-context is set in \(files); pass --context")
        }
        guard let ctx = merged.contexts[contextName] else {
            throw KubeconfigError("context \"\(contextName)\" does not exist in \(files)")
        }
        let clusterName = ctx.value.cluster ?? ""
        guard let cluster = merged.clusters[clusterName] else {
            throw KubeconfigError("cluster \"\(clusterName)\" of context \"\(contextName)\" does not exist in \(files)")
        }
        guard var serverText = cluster.value.server, !serverText.isEmpty else {
            throw KubeconfigError("no server found for cluster \"\(clusterName)\" in \(cluster.file)")
        }
        if !serverText.contains("://") { serverText = "https://" + serverText }
        guard let server = URL(string: serverText), server.host != nil else {
            throw KubeconfigError("the server of cluster \"\(clusterName)\" in \(cluster.file) is not a valid URL")
        }

        var tls = TLSOptions()
        let where_ = "cluster \"\(clusterName)\" in \(cluster.file)"
        tls.caPEM = try material(data: cluster.value.certificateAuthorityData, path: cluster.value.certificateAuthority,
                                 field: "certificate-authority", owner: where_, directory: cluster.directory)
        tls.insecureSkipVerify = cluster.value.insecureSkipTLSVerify ?? false
        if tls.insecureSkipVerify && tls.caPEM != nil {
            throw KubeconfigError("\(where_) sets both a certificate authority and insecure-skip-tls-verify; specifying a root certificates file with the insecure flag is not allowed")
        }
        tls.serverName = cluster.value.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }
        var proxy: String?
        if let p = cluster.value.proxyURL, !p.isEmpty {
            guard let scheme = URL(string: p)?.scheme, ["http", "https", "socks5"].contains(scheme) else {
                throw KubeconfigError("proxy-url of \(where_) must be an http, https or socks5 URL")
            }
            proxy = p
        }

        var credentials = Credentials.none
        var impersonation: [(String, String)] = []
        let userName = ctx.value.user ?? ""
        if !userName.isEmpty {
            guard let user = merged.users[userName] else {
                throw KubeconfigError("auth info \"\(userName)\" of context \"\(contextName)\" does not exist in \(files)")
            }
            (credentials, impersonation) = try resolveUser(user, name: userName, tls: &tls)
        }
        let namespace = ctx.value.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClusterConnection(server: server, tls: tls, proxy: proxy, disableCompression: cluster.value.disableCompression ?? false,
                                 credentials: credentials, impersonationHeaders: impersonation, namespace: namespace,
                                 contextName: contextName)
    }

    private func resolveUser(_ user: Located<KubeconfigFile.User>, name: String,
                             tls: inout TLSOptions) throws(KubeconfigError) -> (Credentials, [(String, String)]) {
        let u = user.value
        let where_ = "user \"\(name)\" in \(user.file)"
        let cert = try material(data: u.clientCertificateData, path: u.clientCertificate, field: "client-certificate",
                                owner: where_, directory: user.directory)
        let key = try material(data: u.clientKeyData, path: u.clientKey, field: "client-key", owner: where_, directory: user.directory)
        if (cert == nil) != (key == nil) {
            throw KubeconfigError("\(where_) has a client \(cert == nil ? "key" : "certificate") without a client \(cert == nil ? "certificate" : "key")")
        }
        tls.clientCertificatePEM = cert
        tls.clientKeyPEM = key
        if u.exec != nil && u.authProvider != nil {
            throw KubeconfigError("\(where_) sets both exec and auth-provider; use only one")
        }
        var impersonation: [(String, String)] = []
        if let a = u.impersonate, !a.isEmpty { impersonation.append(("Impersonate-User", a)) }
        if let a = u.impersonateUID, !a.isEmpty { impersonation.append(("Impersonate-Uid", a)) }
        for g in u.impersonateGroups ?? [] { impersonation.append(("Impersonate-Group", g)) }

        if let exec = u.exec {
            guard let apiVersion = exec.apiVersion, !apiVersion.isEmpty else {
                throw KubeconfigError("exec of \(where_) has no apiVersion")
            }
            guard apiVersion == "client.authentication.k8s.io/v1" || apiVersion == "client.authentication.k8s.io/v1beta1" else {
                throw KubeconfigError("exec of \(where_) uses unsupported apiVersion \(apiVersion)")
            }
            guard var command = exec.command, !command.isEmpty else { throw KubeconfigError("exec of \(where_) has no command") }
            if command.contains("/") && !command.hasPrefix("/") { command = Self.join(user.directory, command) }
            var env: [String: String] = [:]
            for e in exec.env ?? [] { env[e.name] = e.value ?? "" }
            let mode = exec.interactiveMode ?? (apiVersion.hasSuffix("v1beta1") ? "IfAvailable" : "")
            guard ["Never", "IfAvailable", "Always"].contains(mode) else {
                throw KubeconfigError("exec of \(where_) needs interactiveMode Never, IfAvailable or Always")
            }
            return (.exec(ExecConfig(apiVersion: apiVersion, command: command, args: exec.args ?? [], env: env,
                                     interactiveMode: mode, provideClusterInfo: exec.provideClusterInfo ?? false,
                                     installHint: exec.installHint)), impersonation)
        }
        if let provider = u.authProvider {
            switch provider.name {
            case "gcp":
                throw KubeconfigError("\(where_) uses the removed gcp auth-provider; install gke-gcloud-auth-plugin and use its exec configuration")
            case "azure":
                throw KubeconfigError("\(where_) uses the removed azure auth-provider; use kubelogin and its exec configuration")
            case "oidc":
                guard let idToken = provider.config?["id-token"], !idToken.isEmpty else {
                    throw KubeconfigError("the oidc auth-provider of \(where_) has no id-token; log in with kubectl first")
                }
                return (.token(idToken), impersonation)
            default:
                throw KubeconfigError("\(where_) uses the unsupported auth-provider \(provider.name ?? "")")
            }
        }
        if let file = u.tokenFile, !file.isEmpty {
            return (.tokenFile(path: Self.resolvePath(file, in: user.directory), fallback: u.token), impersonation)
        }
        if let token = u.token, !token.isEmpty { return (.token(token), impersonation) }
        if let username = u.username, !username.isEmpty { return (.basic(username: username, password: u.password ?? ""), impersonation) }
        return (.none, impersonation)
    }

    /// `-data` (base64 PEM) wins over the file path; relative paths resolve in `directory`.
    func material(data: String?, path: String?, field: String, owner: String, directory: String) throws(KubeconfigError) -> [UInt8]? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data.trimmingCharacters(in: .whitespacesAndNewlines), options: .ignoreUnknownCharacters) else {
                throw KubeconfigError("\(field)-data of \(owner) is not valid base64")
            }
            return [UInt8](decoded)
        }
        if let path, !path.isEmpty {
            let full = Self.resolvePath(path, in: directory)
            guard let contents = FileManager.default.contents(atPath: full) else {
                throw KubeconfigError("the \(field) file \(full) of \(owner) cannot be read")
            }
            return [UInt8](contents)
        }
        return nil
    }

    static func resolvePath(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path)
    }

    static func join(_ directory: String, _ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return directory.isEmpty ? String(p) : "\(directory)/\(p)"
    }

    /// In-cluster configuration when running in a pod (service-account token present).
    func inClusterConnection() throws(KubeconfigError) -> ClusterConnection? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else { return nil }
        let tokenPath = "\(serviceAccountDirectory)/token"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: tokenPath, isDirectory: &isDir), !isDir.boolValue else { return nil }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else {
            throw KubeconfigError("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT do not form a valid URL")
        }
        let ca = FileManager.default.contents(atPath: "\(serviceAccountDirectory)/ca.crt").map { [UInt8]($0) }
        var namespace = environment["POD_NAMESPACE"] ?? ""
        if namespace.isEmpty, let data = FileManager.default.contents(atPath: "\(serviceAccountDirectory)/namespace") {
            namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ClusterConnection(server: server, tls: TLSOptions(caPEM: ca), credentials: .tokenFile(path: tokenPath, fallback: nil),
                                 namespace: namespace.isEmpty ? "default" : namespace, contextName: "in-cluster")
    }
}
