import Foundation
import Testing
@testable import Informer

/// Request building rules that do not depend on how the connection was loaded.
@Suite struct ConnectionSafetyTests {
    @Test func serverPathPrefixIsKeptInEveryRequest() {  // item 68
        let client = KubeClient(connection: ClusterConnection(server: URL(string: "https://rancher.example/k8s/clusters/c-1")!),
                                transport: sharedTransport)
        #expect(client.url(path: APICollection.pods.path(namespace: nil), query: [("limit", "500")])
                == "https://rancher.example/k8s/clusters/c-1/api/v1/pods?limit=500")
    }

    @Test func credentialsAreOnlyForHttpsOrLoopback() {  // item 70
        #expect(ClusterConnection(server: URL(string: "https://10.0.0.1")!).mayCarryCredentials)
        #expect(ClusterConnection(server: URL(string: "http://127.0.0.1:8080")!).mayCarryCredentials)
        #expect(ClusterConnection(server: URL(string: "http://localhost:8080")!).mayCarryCredentials)
        #expect(!ClusterConnection(server: URL(string: "http://10.0.0.1:8080")!).mayCarryCredentials)
        #expect(!ClusterConnection(server: URL(string: "http://api.example.com")!).mayCarryCredentials)
    }

    @Test func descriptionNeverShowsTheToken() {
        #expect(!ClusterConnection(server: URL(string: "https://x")!, credentials: .token("secret-token-a")).description.contains("secret"))
    }

    @Test func proxyNamedInErrorsCarriesNoCredentials() {
        #expect(CurlTransport.withoutCredentials("http://jane:s3cr3t@proxy.corp:3128") == "http://proxy.corp:3128")
        #expect(CurlTransport.withoutCredentials("http://proxy.corp:3128") == "http://proxy.corp:3128")
        #expect(CurlTransport.withoutCredentials("socks5://jane:s3cr3t@bastion:1080") == "socks5://bastion:1080")
        #expect(CurlTransport.withoutCredentials("jane:s3cr3t@proxy.corp:3128").contains("s3cr3t") == false)
    }
}
