import Foundation
import Informer
import KubeSim
import Testing

@Suite(.timeLimit(.minutes(1))) struct ClientAndTransportTests {
    let all = InformerID(resource: .pods, namespace: nil)

    @Test func execPluginIsRerunOnceAfter401AndTheRequestRetried() async throws {  // item 66
        let dir = TempDirectory()
        let token = SimulatorConfiguration().token
        // First run prints a stale token, later runs the valid one.
        let plugin = dir.write("plugin.sh", """
        #!/bin/sh
        n=$(cat "\(dir.path)/runs" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo $n > "\(dir.path)/runs"
        if [ $n -eq 1 ]; then t=stale; else t=\(token); fi
        echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$t\\"}}"
        """, executable: true)
        try await withSimulator { sim, url in
            let client = makeClient(url, credentials: .exec(ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: plugin, interactiveMode: "Never")))
            let list = try await client.list(.pods, namespace: nil, ListRequest(limit: 5))
            #expect(list.objects.count == 5)
            let attempts = sim.apiRequests()
            #expect(attempts.count == 2)
            #expect(attempts.allSatisfy { $0.hadCredentials })
        }
        #expect(try String(contentsOfFile: "\(dir.path)/runs", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test func simulatorOverHTTPSAcceptsAClientCertificateInsteadOfAToken() async throws {
        try await withSimulator({ $0.requireClientCertificate = true }) { sim, url in
            #expect(url.scheme == "https")
            let tls = try #require(sim.tls)
            let pem = { (u: URL) in [UInt8](FileManager.default.contents(atPath: u.path)!) }
            let client = KubeClient(connection: ClusterConnection(
                server: url, tls: TLSOptions(caPEM: pem(tls.caCertificate), clientCertificatePEM: pem(tls.clientCertificate),
                                             clientKeyPEM: pem(tls.clientKey)), credentials: .none, contextName: "cert"),
                transport: sharedTransport)
            let list = try await client.list(.pods, namespace: nil, ListRequest(limit: 3))
            #expect(list.objects.count == 3)
            #expect(sim.apiRequests().allSatisfy { !$0.hadCredentials })
            // Without the certificate the handshake itself is refused.
            let noCert = makeClient(url, credentials: Credentials.none)
            await #expect(throws: KubeClientError.self) { try await noCert.list(.pods, namespace: nil, ListRequest(limit: 3)) }
        }
    }

    @Test func notFoundBodyBecomesTheServersStatus() async throws {
        try await withSimulator { _, url in
            let client = makeClient(url)
            do {
                _ = try await client.get(path: "/api/v1/namespaces/prod/pods/does-not-exist")
                Issue.record("expected 404")
            } catch let error as KubeClientError {
                guard case .status(let status, _) = error else { Issue.record("expected a status"); return }
                #expect(status.code == 404)
                #expect(status.reason == "NotFound")
            }
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        let client = makeClient(URL(string: "http://127.0.0.1:1")!)
        do {
            _ = try await client.get(path: "/version")
            Issue.record("expected a failure")
        } catch let error as KubeClientError {
            guard case .transport(let t) = error else { Issue.record("expected transport error"); return }
            #expect(t.kind == .connectionRefused)
        }
    }

    @Test func manyConcurrentWatchesShareOneTransportThread() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        try await withSimulator { sim, url in
            let client = makeClient(url, transport: transport)
            let before = threadCount()
            var responses: [HTTPResponse] = []
            for _ in 0..<200 {
                responses.append(try await client.watch(.pods, namespace: nil, WatchRequest(resourceVersion: String(sim.resourceVersion), timeoutSeconds: 300)))
            }
            await eventually { sim.openWatches == 200 }
            #expect(transport.activeTransferCount == 200)
            // Not a thread per watch. The bound leaves room for the threads of the tests that run
            // alongside in this process (NIO loops, dispatch workers: 12 were seen once against
            // the 10 allowed before); a thread per watch would add 200.
            #expect(threadCount() - before < 50)
            for r in responses { r.body.cancel() }
            await eventually { transport.activeTransferCount == 0 }
        }
    }

    @Test func cancellingABodyEndsTheTransfer() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        try await withSimulator { sim, url in
            let client = makeClient(url, transport: transport)
            let response = try await client.watch(.pods, namespace: nil, WatchRequest(resourceVersion: String(sim.resourceVersion), timeoutSeconds: 300))
            await eventually { sim.openWatches == 1 }
            response.body.cancel()
            var iterator = response.body.makeAsyncIterator()
            #expect(try await iterator.next() == nil)
            await eventually { transport.activeTransferCount == 0 }
        }
    }

    @Test func laptopSleepPastTheHistoryRelistsAndReportsPodsDeletedMeanwhile() async throws {  // items 29, 32
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let first = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(first) { await store.waitUntil { $0.count(all) == 30 } }
            let gone = sim.podKeys[3]
            let parts = gone.split(separator: "/").map(String.init)
            sim.deletePod(namespace: parts[0], name: parts[1])
            sim.compactHistory()
            let second = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(second) { await store.waitUntil { $0.replaceCount == 2 } }
            #expect(await store.tombstones == [gone])
            #expect(await store.state.count(all) == 29)
        }
    }
}

/// Threads of this process (Linux).
func threadCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
}
