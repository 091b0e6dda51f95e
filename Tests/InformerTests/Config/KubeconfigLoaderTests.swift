import Foundation
import Testing
@testable import Informer

/// kubeconfig loading as kubectl does it (KUBERNETES-API.md §7, §9 items 62–70).
@Suite struct KubeconfigLoaderTests {
    let dir = TempDirectory()
    let caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    func loader(_ kubeconfig: String? = nil, explicit: String? = nil, context: String? = nil, env: [String: String] = [:]) -> KubeconfigLoader {
        var environment = env
        if let kubeconfig { environment["KUBECONFIG"] = kubeconfig }
        return KubeconfigLoader(explicitPath: explicit, context: context, environment: environment, homeDirectory: dir.path + "/home")
    }

    func config(cluster: String = "c", server: String = "https://api.example:6443", clusterExtra: String = "",
                user: String = "u", userBody: String = "token: secret-token-a", context: String = "ctx",
                namespace: String? = "team-a", current: String? = "ctx") -> String {
        """
        apiVersion: v1
        kind: Config
        \(current.map { "current-context: \($0)" } ?? "")
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
        \(namespace.map { "    namespace: \($0)" } ?? "")
        """
    }

    @Test func firstFileWinsWholeEntriesAndCurrentContextComesFromTheFirstFileThatSetsIt() throws {  // item 62
        let a = dir.write("a.yaml", config(userBody: "token: token-from-a", current: nil))
        let b = dir.write("b.yaml", config(userBody: "username: bob\n    password: pw", current: "ctx"))
        let c = try loader("\(a):\(b)").load()
        guard case .token(let t) = c.credentials else { Issue.record("expected a's token user, whole"); return }
        #expect(t == "token-from-a")
        #expect(c.contextName == "ctx")
        #expect(c.namespace == "team-a")
    }

    @Test func missingFilesInKubeconfigAreSkippedAndMalformedOnesNamed() throws {  // item 63
        let a = dir.write("a.yaml", config())
        #expect(try loader("\(dir.path)/missing.yaml:\(a)").load().server.host == "api.example")
        let bad = dir.write("bad.yaml", "clusters: [ {name: x, cluster: {server: 5}")
        #expect(throws: KubeconfigError.self) { try loader("\(bad):\(a)").load() }
        do {
            _ = try loader("\(bad)").load()
        } catch {
            #expect(error.message.contains(bad))
        }
    }

    @Test func relativePathsResolveAgainstTheKubeconfigFolder() throws {  // item 64
        dir.write("conf/ca.pem", caPEM)
        let plugin = dir.write("conf/bin/plugin", "#!/bin/sh\n", executable: true)
        let file = dir.write("conf/config", config(clusterExtra: "    certificate-authority: ca.pem",
                                                   userBody: "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/plugin\n      interactiveMode: Never"))
        let c = try loader(explicit: file).load()
        #expect(c.tls.caPEM == Array(caPEM.utf8))
        guard case .exec(let exec) = c.credentials else { Issue.record("expected exec"); return }
        #expect(exec.command == plugin)
        let bare = dir.write("conf/bare", config(userBody: "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n      interactiveMode: Never"))
        guard case .exec(let e2) = try loader(explicit: bare).load().credentials else { Issue.record("expected exec"); return }
        #expect(e2.command == "aws")
    }

    @Test func dataWinsOverPathAndCAWithInsecureIsRejected() throws {  // item 65
        let data = Data("DATA-CA".utf8).base64EncodedString()
        let file = dir.write("c1", config(clusterExtra: "    certificate-authority: /nonexistent/ca.pem\n    certificate-authority-data: \(data)"))
        #expect(try loader(explicit: file).load().tls.caPEM == Array("DATA-CA".utf8))
        let insecure = dir.write("c2", config(clusterExtra: "    certificate-authority-data: \(data)\n    insecure-skip-tls-verify: true"))
        #expect(throws: KubeconfigError.self) { try loader(explicit: insecure).load() }
    }

    @Test func errorsNameTheFileContextOrFieldButNeverTheToken() throws {
        let file = dir.write("c", config(clusterExtra: "    certificate-authority: missing-ca.pem"))
        do {
            _ = try loader(explicit: file).load()
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("missing-ca.pem"))
            #expect(error.message.contains("certificate-authority"))
            #expect(!error.message.contains("secret-token-a"))
        }
        let ok = dir.write("ok", config())
        do {
            _ = try loader(explicit: ok, context: "nope").load()
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("context \"nope\" does not exist"))
        }
        #expect(throws: KubeconfigError("the kubeconfig file \(dir.path)/none does not exist")) { try loader(explicit: "\(dir.path)/none").load() }
        #expect(!ClusterConnection(server: URL(string: "https://x")!, credentials: .token("secret-token-a")).description.contains("secret"))
    }

    @Test func tokenFileWinsAndIsResolvedRelativeToo() throws {
        dir.write("t/token", "from-file\n")
        let file = dir.write("t/config", config(userBody: "token: inline\n    tokenFile: token"))
        guard case .tokenFile(let path, let fallback) = try loader(explicit: file).load().credentials else { Issue.record("expected tokenFile"); return }
        #expect(path == "\(dir.path)/t/token")
        #expect(fallback == "inline")
    }

    @Test func serverPathPrefixIsKeptInEveryRequest() throws {  // item 68
        let file = dir.write("p", config(server: "https://rancher.example/k8s/clusters/c-1"))
        let client = KubeClient(connection: try loader(explicit: file).load(), transport: sharedTransport)
        #expect(client.url(path: APICollection.pods.path(namespace: nil), query: [("limit", "500")])
                == "https://rancher.example/k8s/clusters/c-1/api/v1/pods?limit=500")
    }

    @Test func inClusterConfigurationIsUsedWhenNoKubeconfigExists() throws {  // item 69
        let sa = dir.path + "/sa"
        dir.write("sa/token", "sa-token")
        dir.write("sa/ca.crt", caPEM)
        dir.write("sa/namespace", "workloads\n")
        var l = loader(env: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        l.serviceAccountDirectory = sa
        let c = try l.load()
        #expect(c.server.absoluteString == "https://10.96.0.1:443")
        #expect(c.namespace == "workloads")
        #expect(c.tls.caPEM == Array(caPEM.utf8))
        guard case .tokenFile(let path, _) = c.credentials else { Issue.record("expected the token file"); return }
        #expect(path == "\(sa)/token")
    }

    @Test func emptyConfigurationIsAClearError() {
        #expect(throws: KubeconfigError.self) { try loader().load() }
    }

    @Test func credentialsAreOnlyForHttpsOrLoopback() {  // item 70
        #expect(ClusterConnection(server: URL(string: "https://10.0.0.1")!).mayCarryCredentials)
        #expect(ClusterConnection(server: URL(string: "http://127.0.0.1:8080")!).mayCarryCredentials)
        #expect(ClusterConnection(server: URL(string: "http://localhost:8080")!).mayCarryCredentials)
        #expect(!ClusterConnection(server: URL(string: "http://10.0.0.1:8080")!).mayCarryCredentials)
        #expect(!ClusterConnection(server: URL(string: "http://api.example.com")!).mayCarryCredentials)
    }

    @Test func removedAuthProvidersExplainTheReplacement() {
        let file = dir.write("g", config(userBody: "auth-provider:\n      name: gcp"))
        #expect(throws: KubeconfigError.self) { try loader(explicit: file).load() }
    }
}
