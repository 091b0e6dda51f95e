import Foundation
import Testing
@testable import KubeSim

/// LIST semantics of KUBERNETES-API.md §1.2–1.3.
@Suite struct ClusterListTests {
    let clock = ManualClock()
    let simulator: Simulator

    init() throws {
        var config = SimulatorConfiguration()
        config.pods = 120
        config.tls = false
        config.churnPerSecond = 0
        let clock = self.clock
        simulator = try Simulator(configuration: config, now: { clock.now })
    }

    var cluster: Cluster { simulator.cluster }

    func listAll(limit: Int, between: () -> Void = {}) throws -> (names: [String], pages: Int, rv: Int) {
        var names: [String] = []
        var token: String?
        var pages = 0
        var rv = 0
        repeat {
            let page = try cluster.list(ListRequest(resource: .pods, limit: limit, continueToken: token))
            if pages == 0 { rv = page.resourceVersion } else { #expect(page.resourceVersion == rv) }
            names += page.items.map(\.key.description)
            token = page.continueToken
            pages += 1
            between()
        } while token != nil
        return (names, pages, rv)
    }

    @Test func eventsTargetTopsUpThePodsHistoriesWithEventsAboutExistingPods() throws {
        var config = SimulatorConfiguration()
        config.pods = 40
        config.tls = false
        config.events = 1000
        let sim = try Simulator(configuration: config)
        #expect(sim.eventCount == 1000)
        // Every generated event was last seen within the TTL: none expires at the first tick.
        sim.tick()
        #expect(sim.eventCount == 1000)
        let pods = Set(sim.cluster.allPods().map(\.metadata.uid))
        let events = try sim.cluster.list(ListRequest(resource: .events)).items.compactMap { object -> Event? in
            if case .event(let e) = object.body { return e } else { return nil }
        }
        #expect(events.allSatisfy { pods.contains($0.regarding.uid ?? "") })
        #expect(Set(events.map(\.metadata.uid)).count == 1000)
        #expect(Set(events.map(\.reason)).isSuperset(of: ["Pulled", "Created", "Started", "Unhealthy"]))
    }

    @Test func paginatedListIsOneConsistentSnapshotEvenWhilePodsChange() throws {
        let whole = try cluster.list(ListRequest(resource: .pods))
        var deleted = 0
        let paged = try listAll(limit: 25) {
            // A pod later in key order goes away between pages: the snapshot still has it.
            let last = cluster.allPods().map(\.key).max()!
            cluster.commit([.deletePod(last)])
            deleted += 1
        }
        #expect(paged.names == whole.items.map(\.key.description))
        #expect(paged.pages == 5)
        #expect(paged.rv == whole.resourceVersion)
        #expect(cluster.allPods().count == 120 - deleted)
    }

    @Test func expiredContinueTokenGets410WithAnInconsistentContinuation() throws {
        let first = try cluster.list(ListRequest(resource: .pods, limit: 10))
        cluster.expireContinueTokens()
        let error = #expect(throws: Status.self) {
            try cluster.list(ListRequest(resource: .pods, limit: 10, continueToken: first.continueToken))
        }
        #expect(error?.code == 410)
        #expect(error?.reason == "Expired")
        #expect(error?.metadata.continue != nil)
    }

    @Test func exactResourceVersionListIsTheStateAtThatVersion() throws {
        let before = try cluster.list(ListRequest(resource: .pods))
        let victim = before.items[0].key
        cluster.commit([.deletePod(victim)])
        let exact = try cluster.list(ListRequest(resource: .pods, resourceVersion: String(before.resourceVersion), resourceVersionMatch: "Exact"))
        #expect(exact.items.map(\.key) == before.items.map(\.key))
        let latest = try cluster.list(ListRequest(resource: .pods))
        #expect(!latest.items.map(\.key).contains(victim))
    }

    @Test func exactResourceVersionOlderThanHistoryGets410() throws {
        let old = cluster.currentResourceVersion
        cluster.commit([.deletePod(cluster.allPods()[0].key)])
        cluster.compactHistory()
        let error = #expect(throws: Status.self) {
            try cluster.list(ListRequest(resource: .pods, resourceVersion: String(old), resourceVersionMatch: "Exact"))
        }
        #expect(error?.code == 410)
        #expect(error?.message == "The resourceVersion for the provided list is too old.")
    }

    @Test func resourceVersionMatchWithoutResourceVersionIsInvalid() throws {
        let error = #expect(throws: Status.self) {
            try cluster.list(ListRequest(resource: .pods, resourceVersionMatch: "NotOlderThan"))
        }
        #expect(error?.code == 422)
        #expect(error?.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
    }

    @Test func resourceVersionNewerThanTheServerGets504TooLarge() throws {
        let error = #expect(throws: Status.self) {
            try cluster.list(ListRequest(resource: .pods, resourceVersion: String(cluster.currentResourceVersion + 1000)))
        }
        #expect(error?.code == 504)
        #expect(error?.details?.causes?.first?.reason == "ResourceVersionTooLarge")
    }

    @Test func fieldAndLabelSelectorsFilter() throws {
        let running = try cluster.list(ListRequest(
            resource: .pods, fieldSelector: try FieldSelector("status.phase=Running", supported: SelectableFields.pods)))
        #expect(!running.items.isEmpty)
        #expect(running.items.allSatisfy { if case .pod(let p) = $0.body { p.status.phase == "Running" } else { false } })
        let notProd = try cluster.list(ListRequest(resource: .pods, labelSelector: try LabelSelector("app.kubernetes.io/part-of notin (prod)")))
        #expect(notProd.items.allSatisfy { $0.key.namespace != "prod" })
        #expect(!notProd.items.isEmpty)
    }

    @Test func unsupportedFieldSelectorIsRefusedAsTheRealServerDoes() {
        let error = #expect(throws: Status.self) {
            try FieldSelector("spec.containers.image=nginx", supported: SelectableFields.pods)
        }
        #expect(error?.message == "field label not supported: spec.containers.image")
    }

    @Test func malformedLabelSelectorIsRefusedAsTheRealServerDoes() {
        let error = #expect(throws: Status.self) { try LabelSelector("=foo") }
        #expect(error?.message == "unable to parse requirement: found '=', expected: identifier")
    }
}
