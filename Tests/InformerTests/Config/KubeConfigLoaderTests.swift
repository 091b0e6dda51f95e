import Foundation
import Testing
@testable import Informer
import KubeSim

/// kubeconfig loading as kubectl does it (KUBERNETES-API.md §7, checklist 62–70).
@Suite struct KubeConfigLoaderTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appending(path: "kubeconfig-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appending(path: name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func config(cluster: String = "c", server: String = "https://k8s.example:6443", user: String = "u",
                userBody: String = "token: from-a", context: String = "ctx", current: String? = "ctx",
                clusterExtra: String = "", namespace: String = "team") -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: \(cluster)
          cluster:
            server: \(server)
        \(clusterExtra)
        users:
        - name: \(user)
          user:
            \(userBody)
        contexts:
        - name: \(context)
          context:
            cluster: \(cluster)
            user: \(user)
            namespace: \(namespace)
        \(current.map { "current-context: \($0)" } ?? "")
        """
    }

    @Test func kubeconfigListMergesWithTheFirstFileWinningEachName() throws {
        let a = try write("a", config(userBody: "token: from-a"))
        let b = try write("b", config(userBody: "token: from-b", current: "other"))
        let loader = KubeConfigLoader(environment: ["KUBECONFIG": "\(a):\(dir.path)/missing:\(b)", "HOME": dir.path])
        let connection = try loader.load(explicitPath: nil, context: nil)
        guard case .token(let token) = connection.credentials else { Issue.record("expected a token"); return }
        #expect(token == "from-a")
        #expect(connection.contextName == "ctx")
        #expect(connection.namespace == "team")
        #expect(connection.server.absoluteString == "https://k8s.example:6443")
    }

    @Test func malformedFileIsNamedInTheError() throws {
        let bad = try write("bad", "clusters: [ {name: ")
        let error = #expect(throws: KubeConfigError.self) {
            try KubeConfigLoader(environment: [:]).load(explicitPath: bad, context: nil)
        }
        #expect(error?.description.contains(bad) == true)
    }

    @Test func unknownContextListsTheAvailableOnes() throws {
        let path = try write("k", config())
        let error = #expect(throws: KubeConfigError.self) {
            try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: "prod")
        }
        #expect(error == .unknownContext("prod", available: ["ctx"]))
    }

    @Test func relativePathsResolveAgainstTheKubeconfigsFolder() throws {
        _ = try write("sub/ca.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        let path = try write("sub/config", config(
            userBody: "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/plugin\n      args: [token]",
            clusterExtra: "    certificate-authority: ca.pem"))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        #expect(connection.tls.caPEM.map { String(decoding: $0, as: UTF8.self) }?.contains("BEGIN CERTIFICATE") == true)
        guard case .exec(let exec) = connection.credentials else { Issue.record("expected exec"); return }
        #expect(exec.command == dir.appending(path: "sub/bin/plugin").path)
        #expect(exec.args == ["token"])
    }

    @Test func bareExecCommandIsLeftForPathLookup() throws {
        let path = try write("k", config(userBody: "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws"))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        guard case .exec(let exec) = connection.credentials else { Issue.record("expected exec"); return }
        #expect(exec.command == "aws")
    }

    @Test func dataFieldWinsOverTheFileField() throws {
        let inline = Data("inline-ca".utf8).base64EncodedString()
        let path = try write("k", config(clusterExtra: "    certificate-authority: /nonexistent\n    certificate-authority-data: \(inline)"))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        #expect(connection.tls.caPEM == Array("inline-ca".utf8))
    }

    @Test func certificateAuthorityTogetherWithInsecureIsRefused() throws {
        let inline = Data("ca".utf8).base64EncodedString()
        let path = try write("k", config(clusterExtra: "    certificate-authority-data: \(inline)\n    insecure-skip-tls-verify: true"))
        #expect(throws: KubeConfigError.conflictingTLS(cluster: "c")) {
            try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        }
    }

    @Test func serverPathPrefixIsKept() throws {
        let path = try write("k", config(server: "https://rancher.example/k8s/clusters/c-1"))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        #expect(connection.server.path == "/k8s/clusters/c-1")
    }

    @Test func tokenFileIsUsedAndReReadByTheCredentialProvider() throws {
        let path = try write("k", config(userBody: "tokenFile: token.txt"))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        guard case .tokenFile(let file, _) = connection.credentials else { Issue.record("expected tokenFile"); return }
        #expect(file == dir.appending(path: "token.txt").path)
    }

    @Test func credentialsAreNeverSentOverPlainHTTPToAnotherHost() throws {
        let remote = try KubeConfigLoader(environment: [:]).load(explicitPath: try write("r", config(server: "http://k8s.example:8080")), context: nil)
        #expect(!remote.mayCarryCredentials)
        let local = try KubeConfigLoader(environment: [:]).load(explicitPath: try write("l", config(server: "http://127.0.0.1:8080")), context: nil)
        #expect(local.mayCarryCredentials)
    }

    @Test func inClusterConfigurationIsUsedWhenNoKubeconfigExists() throws {
        let sa = dir.appending(path: "sa")
        _ = try write("sa/token", "sa-token")
        _ = try write("sa/ca.crt", "ca")
        _ = try write("sa/namespace", "payments\n")
        var loader = KubeConfigLoader(environment: ["HOME": dir.appending(path: "nohome").path,
                                                    "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        loader.serviceAccountDirectory = sa.path
        let connection = try loader.load(explicitPath: nil, context: nil)
        #expect(connection.server.absoluteString == "https://10.0.0.1:443")
        #expect(connection.namespace == "payments")
        guard case .tokenFile(let file, _) = connection.credentials else { Issue.record("expected the SA token file"); return }
        #expect(file == sa.appending(path: "token").path)
    }

    @Test func errorsNeverContainCredentials() throws {
        let path = try write("k", config(userBody: "token: s3cr3t-token", current: "missing"))
        let error = #expect(throws: KubeConfigError.self) { try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil) }
        #expect(error?.description.contains("s3cr3t") == false)
    }

    /// A real certificate (the simulator's PKI, valid ten years from now) judged by clocks
    /// before, inside and after its validity window.
    @Test func clientCertificateOutsideItsValidityIsNamedWithTheDateBeforeAnyRequest() throws {
        let pki = try TLSMaterial.generate(in: dir.appending(path: "pki"), user: "dev")
        let path = try write("k", config(userBody: "client-certificate: pki/client.crt\n    client-key: pki/client.key"))
        var loader = KubeConfigLoader(environment: [:])
        let connection = try loader.load(explicitPath: path, context: nil)
        #expect(connection.tls.clientCertificatePEM == Array(try Data(contentsOf: pki.clientCertificate)))

        let validity = try #require(CertificateValidity(pem: connection.tls.clientCertificatePEM ?? []))
        #expect(validity.notAfter.timeIntervalSince(validity.notBefore) > 3649 * 86_400)
        let source = "client-certificate \(pki.clientCertificate.path)"
        loader.now = { validity.notAfter.addingTimeInterval(1) }
        let expired = #expect(throws: KubeConfigError.clientCertificateExpired(
            user: "u", source: source, validUntil: validity.notAfter.formatted(.iso8601))) {
            try loader.load(explicitPath: path, context: nil)
        }
        #expect(expired?.description.contains("expired at \(validity.notAfter.formatted(.iso8601))") == true)
        loader.now = { validity.notBefore.addingTimeInterval(-60) }
        #expect(throws: KubeConfigError.clientCertificateNotYetValid(
            user: "u", source: source, validFrom: validity.notBefore.formatted(.iso8601))) {
            try loader.load(explicitPath: path, context: nil)
        }
    }

    @Test func clientCertificateDataThatIsNotAPEMCertificateIsRefused() throws {
        let junk = Data("not a certificate".utf8).base64EncodedString()
        let path = try write("k", config(userBody: "client-certificate-data: \(junk)\n    client-key-data: \(junk)"))
        #expect(throws: KubeConfigError.unreadableClientCertificate(user: "u", source: "client-certificate-data")) {
            try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        }
    }

    @Test(arguments: [("gcp", "gke-gcloud-auth-plugin"), ("azure", "kubelogin convert-kubeconfig"), ("oidc", "oidc-login"),
                      ("openstack", "exec credential plugin")])
    func legacyAuthProviderIsRefusedWithItsReplacement(provider: String, remedy: String) throws {
        let path = try write("k", config(userBody: "auth-provider:\n      name: \(provider)\n      config: {access-token: s3cr3t}"))
        let error = #expect(throws: KubeConfigError.unsupportedAuthProvider(user: "u", name: provider)) {
            try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        }
        #expect(error?.description.contains(remedy) == true)
        #expect(error?.description.contains("s3cr3t") == false)
    }

    @Test func impersonationFieldsBecomeTheImpersonateHeaders() throws {
        let path = try write("k", config(userBody: """
            token: t
                as: jane
                as-uid: "1234"
                as-groups: [devs, oncall]
                as-user-extra: {scopes.example.com/team: [payments], reason: [incident 42]}
            """))
        let connection = try KubeConfigLoader(environment: [:]).load(explicitPath: path, context: nil)
        #expect(connection.impersonationHeaders.map { "\($0.0): \($0.1)" } == [
            "Impersonate-User: jane", "Impersonate-Group: devs", "Impersonate-Group: oncall", "Impersonate-Uid: 1234",
            "Impersonate-Extra-reason: incident 42", "Impersonate-Extra-scopes.example.com%2Fteam: payments",
        ])
    }
}
