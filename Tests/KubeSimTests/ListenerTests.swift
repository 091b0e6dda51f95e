import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import KubeSim

/// The "stop/start accepting connections" and "restart with state kept" faults, over real
/// HTTP: what a client of a vanishing apiserver sees.
@Suite(.timeLimit(.minutes(1))) struct ListenerTests {
    func withSimulator(_ body: @Sendable (Simulator, URL) async throws -> Void) async throws {
        var config = SimulatorConfiguration()
        config.pods = 20
        config.tls = false
        config.churnPerSecond = 0
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

    /// A request with a fresh session each time (no pooled connection outliving the server).
    func request(_ url: URL, _ path: String, method: String = "GET") async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url.absoluteString + path)!)
        request.httpMethod = method
        request.setValue("Bearer kubeluma-sim-token", forHTTPHeaderField: "Authorization")
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    func isRefused(_ url: URL) async -> Bool {
        do {
            _ = try await request(url, "/api/v1/pods?limit=1")
            return false
        } catch let error as URLError {
            return error.code == .cannotConnectToHost
        } catch {
            return false
        }
    }

    @Test func closedListenerRefusesConnectionsEndsWatchesAndReopensOnTheSamePortWithStateKept() async throws {
        try await withSimulator { sim, url in
            let rv = sim.resourceVersion
            // A watch and a followed log are open when the server goes away: both must end.
            let pod = sim.podKeys[0].split(separator: "/").map(String.init)
            async let watch = try? request(url, "/api/v1/pods?watch=true&resourceVersion=\(rv)")
            async let log = try? request(url, "/api/v1/namespaces/\(pod[0])/pods/\(pod[1])/log?follow=true&container=\(try #require(containerName(sim, pod)))")
            while sim.openWatches == 0 { await Task.yield() }
            await sim.stopAccepting()
            _ = await (watch, log)
            #expect(sim.openWatches == 0)
            #expect(await isRefused(url))

            // Changes made while it is away are there when it is back, at the same address.
            sim.deletePod(namespace: pod[0], name: pod[1])
            await sim.startAccepting()
            let (code, body) = try await request(url, "/api/v1/pods?watch=true&resourceVersion=\(rv)&timeoutSeconds=1")
            #expect(code == 200)
            #expect(body.contains("\"type\":\"DELETED\"") && body.contains("\"name\":\"\(pod[1])\""))
            #expect(sim.podCount == 19)
        }
    }

    @Test func restartOverTheControlApiKeepsObjectsButExpiresOlderResourceVersions() async throws {
        try await withSimulator { sim, url in
            let rv = sim.resourceVersion
            let pod = sim.podKeys[0].split(separator: "/").map(String.init)
            sim.deletePod(namespace: pod[0], name: pod[1])
            let starts = sim.listener.starts
            let (code, _) = try await request(url, "/_sim/restart", method: "POST")
            #expect(code == 200)
            await sim.listener.wait(until: .started(atLeast: starts + 1))

            let (_, list) = try await request(url, "/api/v1/pods")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(list.utf8)) as? NSDictionary)["items"] as? NSArray
            #expect(items?.count == 19)
            let (_, watch) = try await request(url, "/api/v1/pods?watch=true&resourceVersion=\(rv)&timeoutSeconds=1")
            #expect(watch.contains("\"code\":410"))
        }
    }

    @Test func outageOverTheControlApiRefusesConnectionsThenComesBackByItself() async throws {
        try await withSimulator { sim, url in
            let starts = sim.listener.starts
            let (code, _) = try await request(url, "/_sim/outage?seconds=0.5", method: "POST")
            #expect(code == 200)
            await sim.listener.wait(until: .listening(false))
            #expect(await isRefused(url))
            await sim.listener.wait(until: .started(atLeast: starts + 1))
            let (after, _) = try await request(url, "/api/v1/pods?limit=1")
            #expect(after == 200)
        }
    }

    @Test func partialFaultPlanOverTheControlApiKeepsDefaultsForTheRest() async throws {
        try await withSimulator { sim, url in
            var request = URLRequest(url: URL(string: url.absoluteString + "/_sim/faults")!)
            request.httpMethod = "POST"
            request.setValue("Bearer kubeluma-sim-token", forHTTPHeaderField: "Authorization")
            request.httpBody = Data(#"{"throttle":2,"retryAfterSeconds":3}"#.utf8)
            let (_, response) = try await URLSession(configuration: .ephemeral).data(for: request)
            #expect((response as! HTTPURLResponse).statusCode == 200)
            let plan = sim.faults.current
            #expect(plan.throttle == 2 && plan.retryAfterSeconds == 3 && plan.serverErrors == 0 && !plan.silentWatches)
        }
    }

    @Test func outageRejectsOutOfRangeDurations() async throws {
        try await withSimulator { _, url in
            let (code, body) = try await request(url, "/_sim/outage?seconds=0", method: "POST")
            #expect(code == 400)
            #expect(body.contains("seconds must be"))
        }
    }

    func containerName(_ sim: Simulator, _ pod: [String]) -> String? {
        sim.cluster.pod(ObjectKey(namespace: pod[0], name: pod[1]))?.spec.containers.first?.name
    }
}
