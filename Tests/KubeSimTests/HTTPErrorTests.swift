import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import KubeSim

/// Over real HTTP on loopback: the answers kube-apiserver gives to bad and unusual requests,
/// byte for byte where the capture allows.
@Suite struct HTTPErrorTests {
    /// Runs a plain-HTTP simulator for the duration of `body`.
    func withSimulator(_ configure: (inout SimulatorConfiguration) -> Void = { _ in },
                       _ body: @Sendable (Simulator, URL) async throws -> Void) async throws {
        var config = SimulatorConfiguration()
        config.pods = 40
        config.tls = false
        config.churnPerSecond = 0
        configure(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let simulator = try Simulator(configuration: config, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            let url = await simulator.url()
            defer { group.cancelAll() }
            try await body(simulator, url)
        }
    }

    func get(_ url: URL, _ path: String, token: String? = "kubeluma-sim-token", method: String = "GET",
             accept: String? = nil) async throws -> (Int, String, String?) {
        var request = URLRequest(url: URL(string: url.absoluteString + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"))
    }

    /// The captured body as a JSON value: key order is not part of JSON's meaning (and Foundation's
    /// encoder on Linux does not keep it), everything else must match.
    func fixture(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Fixtures.data("v1.36", path)) as! NSDictionary
    }

    func json(_ body: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(body.utf8)) as! NSDictionary
    }

    @Test func wrongTokenGetsTheRealUnauthorizedStatus() async throws {
        try await withSimulator { sim, url in
            let (code, body, _) = try await get(url, "/api/v1/pods", token: "wrong")
            #expect(code == 401)
            #expect(try json(body) == fixture("errors/401-invalid-token.json"))
        }
    }

    @Test func unknownPathGetsPlainText404() async throws {
        try await withSimulator { _, url in
            let (code, body, type) = try await get(url, "/apis/nope.example.com/v1/things")
            #expect(code == 404)
            #expect(body == "404 page not found\n")
            #expect(type?.hasPrefix("text/plain") == true)
        }
    }

    @Test func missingPodGetsTheRealNotFoundStatus() async throws {
        try await withSimulator { _, url in
            let (code, body, _) = try await get(url, "/api/v1/namespaces/prod/pods/does-not-exist")
            #expect(code == 404)
            #expect(try json(body) == fixture("errors/404-pod-not-found.json"))
        }
    }

    @Test func writesAreRefusedAndLogged() async throws {
        try await withSimulator { sim, url in
            let (code, _, _) = try await get(url, "/api/v1/namespaces/prod/pods/x", method: "DELETE")
            #expect(code == 405)
            #expect(sim.requests.last?.method == "DELETE")
        }
    }

    @Test func multiContainerLogWithoutContainerNamesTheChoices() async throws {
        try await withSimulator { sim, url in
            let pod = try #require(sim.cluster.allPods().first { $0.spec.containers.count > 1 })
            let (code, body, _) = try await get(url, "/api/v1/namespaces/\(pod.key.namespace)/pods/\(pod.key.name)/log")
            #expect(code == 400)
            let names = pod.spec.containers.map(\.name).joined(separator: " ")
            #expect(body.contains("a container name must be specified for pod \(pod.key.name), choose one of: [\(names)]"))
            #expect(body.contains("\"reason\":\"BadRequest\""))
        }
    }

    @Test func restrictedModeForbidsClusterScopeWithTheRealMessage() async throws {
        try await withSimulator({ $0.restrictedNamespace = "prod"; $0.userName = "nobody" }) { _, url in
            let (code, body, _) = try await get(url, "/api/v1/pods")
            #expect(code == 403)
            #expect(try json(body) == fixture("errors/403-impersonated-cluster-pods-list.json"))
            let (allowed, _, _) = try await get(url, "/api/v1/namespaces/prod/pods")
            #expect(allowed == 200)
        }
    }

    @Test func injectedThrottlingAnswers429WithRetryAfterOnce() async throws {
        try await withSimulator { sim, url in
            sim.setFaults { $0.throttle = 1; $0.retryAfterSeconds = 3 }
            let (first, body, _) = try await get(url, "/api/v1/pods?limit=1")
            #expect(first == 429)
            #expect(body.contains("\"retryAfterSeconds\":3"))
            let (second, _, _) = try await get(url, "/api/v1/pods?limit=1")
            #expect(second == 200)
        }
    }

    @Test func sendInitialEventsIsRefusedWhenWatchListIsOff() async throws {
        try await withSimulator({ $0.watchListEnabled = false }) { _, url in
            let (code, body, _) = try await get(url, "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
            #expect(code == 422)
            #expect(body.contains("WatchList feature gate"))
        }
    }

    @Test func tableRequestsGetServerPrintedRows() async throws {
        try await withSimulator { _, url in
            let (code, body, _) = try await get(url, "/api/v1/namespaces/prod/pods",
                                                 accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(code == 200)
            let table = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            #expect(table["kind"] as? String == "Table")
            let columns = (table["columnDefinitions"] as! [[String: Any]]).map { $0["name"] as! String }
            #expect(columns == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
            #expect((table["rows"] as! [Any]).count > 0)
        }
    }

    @Test func listItemsCarryNoTypeMetaButSingleObjectsDo() async throws {
        try await withSimulator { sim, url in
            let (_, list, _) = try await get(url, "/api/v1/namespaces/prod/pods?limit=1")
            let item = ((try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [String: Any])["items"] as! [[String: Any]])[0]
            #expect(item["kind"] == nil && item["apiVersion"] == nil)
            let name = (item["metadata"] as! [String: Any])["name"] as! String
            let (_, single, _) = try await get(url, "/api/v1/namespaces/prod/pods/\(name)")
            let object = try JSONSerialization.jsonObject(with: Data(single.utf8)) as! [String: Any]
            #expect(object["kind"] as? String == "Pod" && object["apiVersion"] as? String == "v1")
        }
    }
}
