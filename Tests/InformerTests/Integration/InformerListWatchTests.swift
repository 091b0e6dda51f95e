import Foundation
import Informer
import KubeSim
import Testing

/// The informer against the simulated cluster over real HTTP, with the simulator's request
/// log asserting exactly what was asked (KUBERNETES-API.md §9).
@Suite(.timeLimit(.minutes(1))) struct InformerListWatchTests {
    let all = InformerID(resource: .pods, namespace: nil)

    /// Waits for the watch, then makes it carry one event (a deletion seen in the store), so
    /// ending it afterwards is not a "very short watch" (under 1 s with no events: a relist).
    func watchCarriedAnEvent(_ sim: Simulator, _ store: RecordingStore) async {
        await eventually { sim.openWatches == 1 }
        let before = await store.state.count(all)
        let victim = sim.podKeys[0].split(separator: "/").map(String.init)
        sim.deletePod(namespace: victim[0], name: victim[1])
        await store.waitUntil { $0.count(all) == before - 1 }
    }

    @Test func coldSyncPaginatesAndWatchesFromTheListVersion() async throws {  // item 1
        try await withSimulator({ $0.pods = 1200 }) { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(informer) {
                await store.waitUntil { $0.count(all) == 1200 }
                await eventually { sim.apiRequests().contains { $0.isWatch } }
            }
            let requests = sim.apiRequests()
            let lists = requests.filter { !$0.isWatch }
            #expect(lists.count == 3)
            #expect(lists.allSatisfy { $0.parameter("limit") == "500" })
            #expect(lists[0].parameter("continue") == nil && lists[1].parameter("continue") != nil)
            #expect(lists[1].parameter("resourceVersion") == nil)
            guard case .replace(_, let count, let rv) = await store.calls.first else { Issue.record("no replace"); return }
            #expect(count == 1200)
            let watch = try #require(requests.first { $0.isWatch })
            #expect(watch.parameter("resourceVersion") == rv)
            #expect(watch.parameter("allowWatchBookmarks") == "true")
            #expect(Int(watch.parameter("timeoutSeconds") ?? "") .map { (300..<600).contains($0) } == true)
            #expect(requests.allSatisfy { $0.method == "GET" && $0.hadCredentials })
        }
    }

    @Test func eventsInformerGatedOnPodsSyncListsOnlyAfterThePodTable() async throws {
        try await withSimulator({ $0.pods = 1200 }) { sim, url in
            sim.tick()
            let store = RecordingStore()
            let client = makeClient(url)
            let pods = makeInformer(client: client, store: store, sleeps: RecordedSleeps())
            var options = Informer.Options()
            options.startAfter = { await pods.waitUntilSynced(timeout: .seconds(60)) }
            let events = Informer(collection: .eventsV1, namespace: nil, client: client, store: store, options: options)
            try await running(pods) {
                try await running(events) {
                    await store.waitUntil { $0.replaceCount == 2 }
                }
            }
            let requests = sim.requests.filter { !$0.path.hasPrefix("/_sim") && !$0.isWatch }
            let lastPodList = try #require(requests.lastIndex { $0.path.hasSuffix("/pods") })
            let firstEventList = try #require(requests.firstIndex { $0.path.hasSuffix("/events") })
            #expect(lastPodList < firstEventList, "the events list started before the pod table was complete")
        }
    }

    @Test func watchedDeletionAndRecreationReachTheStore() async throws {  // items 14, 33
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            let victim = sim.podKeys[0].split(separator: "/").map(String.init)
            let other = sim.podKeys[1].split(separator: "/").map(String.init)
            let key = sim.podKeys[0], otherKey = sim.podKeys[1]
            try await running(informer) {
                await eventually { sim.openWatches > 0 }
                await store.waitUntil { $0.count(all) == 30 }
                sim.deletePod(namespace: victim[0], name: victim[1])
                await store.waitUntil { $0.objects[all]?[key] == nil }
                let oldUID = await store.objects[all]?[otherKey]?.metadata.uid
                let newUID = sim.recreatePod(namespace: other[0], name: other[1])
                await store.waitUntil { $0.objects[all]?[otherKey]?.metadata.uid == newUID }
                #expect(oldUID != newUID)
                // One DELETED, then DELETED + ADDED for the re-creation: counted in the health.
                let counted = await informer.healthUpdates().first { $0.watchEventsApplied >= 3 }
                #expect(counted != nil)
            }
            #expect(sim.apiRequests().filter { !$0.isWatch }.count == 1)
        }
    }

    @Test func droppedWatchResumesFromTheLastVersionWithoutRelist() async throws {  // items 19, 20
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: sleeps)
            try await running(informer) {
                await eventually { sim.openWatches == 1 }
                let victim = sim.podKeys[0].split(separator: "/").map(String.init)
                sim.deletePod(namespace: victim[0], name: victim[1])
                await store.waitUntil { $0.count(all) == 29 }
                let rvAfterDelete = await store.resumePoints[all]
                sim.dropAllWatches()
                await eventually { sim.apiRequests().filter(\.isWatch).count == 2 && sim.openWatches == 1 }
                let second = sim.apiRequests().filter(\.isWatch)[1]
                #expect(second.parameter("resourceVersion") == rvAfterDelete)
            }
            #expect(sim.apiRequests().filter { !$0.isWatch }.count == 1)
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test func expiredWatchRelistsAndReportsDeletionsWhileAway() async throws {  // items 21, 32
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                let lastRV = await store.resumePoints[all]
                sim.setFaults { $0.expireWatches = 1 }
                sim.dropAllWatches()
                await store.waitUntil { $0.replaceCount == 2 }
                let relist = try #require(sim.apiRequests().filter { !$0.isWatch }.last)
                #expect(relist.parameter("resourceVersion") == lastRV)
                #expect(relist.parameter("limit") == nil)
            }
        }
    }

    @Test func apiserverUnreachableForAWhileResumesTheWatchWithoutRelist() async throws {
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: sleeps)
            try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                let lastRV = await store.resumePoints[all]
                let watchesBefore = sim.apiRequests().filter(\.isWatch).count
                await sim.stopAccepting()
                // Changed while nobody can ask: seen once the server is back.
                let victim = sim.podKeys[0].split(separator: "/").map(String.init)
                sim.deletePod(namespace: victim[0], name: victim[1])
                // Refused connections are retried after a backoff, not in a hot loop.
                await eventually { sleeps.all.count >= 3 }
                await sim.startAccepting()
                await store.waitUntil { $0.objects[all]?[victim.joined(separator: "/")] == nil }
                // Every watch since (one may have slipped in while the port was closing)
                // resumed from where the informer was.
                let resumed = sim.apiRequests().filter(\.isWatch).dropFirst(watchesBefore)
                #expect(!resumed.isEmpty && resumed.allSatisfy { $0.parameter("resourceVersion") == lastRV })
            }
            #expect(sim.apiRequests().filter { !$0.isWatch }.count == 1, "a reachable-again server needs no relist")
            #expect(sleeps.all.last! > sleeps.all.first!, "the retries back off")
        }
    }

    @Test func apiserverRestartRelistsAndReportsPodsDeletedWhileItWasDown() async throws {
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                let victim = sim.podKeys[0].split(separator: "/").map(String.init)
                await sim.stopAccepting()
                sim.deletePod(namespace: victim[0], name: victim[1])
                sim.compactHistory()
                await sim.startAccepting()
                // The watch from the old resourceVersion gets 410; the relist replaces the
                // cache, and the pod deleted meanwhile is gone from it.
                await store.waitUntil { $0.replaceCount == 2 }
                #expect(await store.objects[all]?[victim.joined(separator: "/")] == nil)
                #expect(await store.state.count(all) == 28)
            }
        }
    }

    @Test func throttledWatchWaitsForRetryAfter() async throws {  // item 25
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: sleeps)
            try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                sim.setFaults {
                    $0.throttle = 1
                    $0.retryAfterSeconds = 3
                }
                sim.dropAllWatches()
                await eventually { sim.apiRequests().filter(\.isWatch).count == 3 && sim.openWatches == 1 }
            }
            #expect(sleeps.all.count == 1)
            #expect(sleeps.all[0] >= .seconds(3))
            #expect(sim.apiRequests().filter { !$0.isWatch }.count == 1)  // no relist
        }
    }

    @Test func watchesClosingAtOnceBackOffWithoutAHotLoop() async throws {  // item 26
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: sleeps)
            try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                sim.setFaults { $0.closeWatchesAtOnce = true }
                sim.dropAllWatches()
                await eventually { sleeps.all.count >= 5 }
            }
            let delays = sleeps.all
            var base = Duration.milliseconds(800)
            for d in delays.prefix(5) {
                #expect(d >= base && d < base * 2)
                base = min(base * 2, .seconds(30))
            }
        }
    }

    @Test func silentWatchIsDeclaredDeadAfterItsIdleDeadlineAndResumed() async throws {  // item 31
        try await withSimulator { sim, url in
            let store = RecordingStore()
            var options = Informer.Options()
            // The simulator's silent watch says nothing until timeoutSeconds (3 s). A negative
            // margin puts the client's idle deadline (2 s) before that, so only the watchdog
            // can end the stream in time.
            options.reflector.watchTimeoutSeconds = 3..<4
            options.watchIdleMargin = .seconds(-1)
            let informer = Informer(collection: .pods, namespace: nil, client: makeClient(url), store: store, options: options)
            let clock = ContinuousClock()
            let (openedSilent, resumed) = try await running(informer) {
                await watchCarriedAnEvent(sim, store)
                sim.setFaults { $0.silentWatches = true }
                sim.dropAllWatches()
                await eventually { sim.apiRequests().filter(\.isWatch).count >= 2 }
                let openedSilent = clock.now
                await eventually { sim.apiRequests().filter(\.isWatch).count >= 3 }
                return (openedSilent, clock.now)
            }
            #expect(resumed - openedSilent < .milliseconds(2900))
            let watches = sim.apiRequests().filter(\.isWatch)
            #expect(watches[1].parameter("resourceVersion") == watches[2].parameter("resourceVersion"))
            #expect(sim.apiRequests().filter { !$0.isWatch }.count == 1)
        }
    }

    @Test func watchListBuildsTheCacheFromOneStream() async throws {  // item 36
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps(), watchList: true)
            try await running(informer) {
                await store.waitUntil { $0.replaceCount == 1 }
                #expect(informer.health.synced)
            }
            #expect(await store.state.count(all) == 30)
            let requests = sim.apiRequests()
            #expect(requests.allSatisfy { $0.isWatch })
            #expect(requests.first?.parameter("sendInitialEvents") == "true")
            #expect(requests.first?.parameter("resourceVersionMatch") == "NotOlderThan")
        }
    }

    @Test func watchListRefusedWith422FallsBackToList() async throws {  // item 37
        try await withSimulator({ $0.watchListEnabled = false }) { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps(), watchList: true)
            try await running(informer) {
                await store.waitUntil { $0.count(all) == 30 }
            }
            let requests = sim.apiRequests()
            #expect(requests[0].parameter("sendInitialEvents") == "true")
            #expect(!requests[1].isWatch)
        }
    }

    @Test func warmStartWatchesFromTheStoredVersion() async throws {
        try await withSimulator { sim, url in
            let rv = String(sim.resourceVersion)
            let store = RecordingStore(resumePoints: [all: rv])
            let informer = makeInformer(client: makeClient(url), store: store, sleeps: RecordedSleeps())
            try await running(informer) {
                await eventually { sim.openWatches == 1 }
                let victim = sim.podKeys[0].split(separator: "/").map(String.init)
                sim.deletePod(namespace: victim[0], name: victim[1])
                await store.waitUntil { $0.calls.count == 1 }
            }
            #expect(sim.apiRequests().allSatisfy { $0.isWatch })
            #expect(sim.apiRequests().first?.parameter("resourceVersion") == rv)
        }
    }

    @Test func forbiddenClusterScopeFallsBackToTheContextNamespace() async throws {
        try await withSimulator({ $0.restrictedNamespace = "staging" }) { sim, url in
            let store = RecordingStore()
            let informer = makeInformer(client: makeClient(url, namespace: "staging"), store: store, sleeps: RecordedSleeps(),
                                        fallbackNamespace: "staging")
            let staging = InformerID(resource: .pods, namespace: "staging")
            let expected = sim.podKeys.filter { $0.hasPrefix("staging/") }.count
            try await running(informer) {
                await store.waitUntil { $0.count(staging) == expected && expected > 0 }
                await eventually { informer.health.synced }
            }
            let health = informer.health
            #expect(health.reducedScope)
            #expect(health.informer == staging)
            #expect(health.requested == all)
            #expect(sim.apiRequests().first?.path == "/api/v1/pods")
        }
    }

    @Test func wrongTokenIsReportedAsUnauthorized() async throws {
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            let informer = makeInformer(client: makeClient(url, token: "wrong"), store: store, sleeps: sleeps)
            try await running(informer) {
                await eventually { sleeps.all.count >= 2 }
            }
            #expect(informer.health.lastError?.contains("401") == true)
            #expect(!informer.health.synced)
        }
    }

    @Test func eventsInformerUsesEventsApiWhenServed() async throws {
        try await withSimulator { sim, url in
            let client = makeClient(url)
            #expect(await client.servesEventsV1())
            let store = RecordingStore()
            let informer = makeInformer(.eventsV1, client: client, store: store, sleeps: RecordedSleeps())
            let events = InformerID(resource: .events, namespace: nil)
            try await running(informer) {
                await store.waitUntil { $0.count(events) == sim.eventCount && sim.eventCount > 0 }
            }
            #expect(sim.apiRequests("/events").first?.path == "/apis/events.k8s.io/v1/events")
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct ClusterInformersTests {
    @Test func podsAndEventsSyncInOneNamespaceWithTheEventsApiWhereServed() async throws {
        try await withSimulator { sim, url in
            let store = RecordingStore()
            let sleeps = RecordedSleeps()
            var options = Informer.Options()
            options.sleep = { try await sleeps.sleep($0) }
            let informers = ClusterInformers(client: makeClient(url), store: store, namespace: "prod", options: options)
            try await running(informers.pods) {
                try await running(informers.events) {
                    await eventually { informers.health.allSatisfy(\.synced) }
                }
            }
            #expect(informers.events.collection == .eventsV1)
            let prodPods = sim.podKeys.filter { $0.hasPrefix("prod/") }.count
            #expect(await store.state.count(InformerID(resource: .pods, namespace: "prod")) == prodPods)
            #expect(sim.apiRequests("/events").allSatisfy { $0.path == "/apis/events.k8s.io/v1/namespaces/prod/events" })
        }
    }
}

@Suite struct KubeStatusTests {
    @Test func plainTextBodiesBecomeSynthesisedStatuses() throws {
        let notFound = KubeStatus.from(httpCode: 404, body: try Fixtures.bytes("v1.36", "errors/404-metrics-pod.txt"))
        #expect(notFound.code == 404)
        #expect(notFound.message == "the server could not find the requested resource")
        let throttled = KubeStatus.from(httpCode: 429, body: Array("Too many requests, please try again later.\n".utf8))
        #expect(throttled.reason == "TooManyRequests")
        let broken = KubeStatus.from(httpCode: 502, body: Array("bad gateway".utf8))
        #expect(broken.message == "an error on the server (\"bad gateway\") has prevented the request from succeeding")
    }

    @Test func realStatusBodiesKeepTheServersWords() throws {
        let forbidden = KubeStatus.from(httpCode: 403, body: try Fixtures.bytes("v1.36", "errors/403-impersonated-cluster-pods-list.json"))
        #expect(forbidden.reason == "Forbidden")
        #expect(forbidden.message?.contains("at the cluster scope") == true)
        let expired = KubeStatus.from(httpCode: 410, body: try Fixtures.bytes("v1.36", "errors/410-expired-continue-token.json"))
        #expect(expired.isExpired)
        #expect(expired.metadata?.continue?.isEmpty == false)
    }
}
