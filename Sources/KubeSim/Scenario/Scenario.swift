import Foundation
import Synchronization

/// Populates the cluster from a seed and applies churn: the changes a busy cluster sees
/// (container restarts and crash loops, rollouts replacing pods under new names, statefulset
/// pods re-created under the same name with a new UID, repeating events).
final class Scenario: Sendable {
    private let cluster: Cluster
    private let configuration: SimulatorConfiguration
    private let rng: Mutex<SeededRandom>

    static let baseNamespaces = ["prod", "staging", "payments", "checkout", "search", "monitoring", "logging",
                                 "ml-training", "data-pipeline", "identity", "edge", "batch"]

    init(cluster: Cluster, configuration: SimulatorConfiguration) {
        self.cluster = cluster
        self.configuration = configuration
        self.rng = Mutex(SeededRandom(seed: configuration.seed))
    }

    static func namespaces(count: Int) -> [String] {
        (0..<count).map { i in i < baseNamespaces.count ? baseNamespaces[i] : "team-\(String(format: "%02d", i - baseNamespaces.count + 1))" }
    }

    func populate() {
        let now = cluster.now()
        let namespaces = Self.namespaces(count: configuration.namespaceCount)
        rng.withLock { rng in
            var writes: [Cluster.Write] = []
            var pods: [Pod] = []
            var eventCount = 0
            let factory = PodFactory()
            let events = EventFactory(now: now)
            for i in 0..<configuration.pods {
                let namespace = namespaces[i % namespaces.count]
                let workload = Self.workload(index: i / namespaces.count, namespace: namespace, rng: &rng)
                let health = PodFactory.randomHealth(using: &rng, workload: workload)
                let created = now.addingTimeInterval(-Double(Int.random(in: 60...(14 * 86_400), using: &rng)))
                var pod = factory.makePod(namespace: namespace, workload: workload, health: health, created: created, now: now, rng: &rng)
                if configuration.hostilePod && i == configuration.pods - 1 { Self.makeHostile(&pod, now: now) }
                writes.append(.upsertPod(pod))
                pods.append(pod)
                for event in events.history(for: pod, health: health, rng: &rng) {
                    writes.append(.upsertEvent(event))
                    eventCount += 1
                }
                if configuration.hostilePod && i == configuration.pods - 1 {
                    writes.append(.upsertEvent(events.oldStyle(pod, reason: "Probe", message: "payload: \(Self.hostileText)",
                                                                type: "Warning", rng: &rng)))
                }
            }
            if let target = configuration.events, !pods.isEmpty {
                var round = 0
                while eventCount < target {
                    let pod = pods[round % pods.count]
                    writes.append(.upsertEvent(events.extra(for: pod, round: round / pods.count, rng: &rng)))
                    eventCount += 1
                    round += 1
                }
            }
            cluster.commit(writes)
        }
    }

    /// The markup every field of the hostile pod carries.
    static let hostileText = #"<img src=x onerror="window.__pwned=1">"#

    /// The pod of `SimulatorConfiguration.hostilePod`. The same payload goes into its events
    /// (`EventFactory` copies nothing else from the pod, so the message is set there too).
    static func makeHostile(_ pod: inout Pod, now: Date) {
        pod.metadata.name = "xss-probe-0"
        pod.metadata.generateName = nil
        pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging(["note": hostileText]) { $1 }
        pod.spec.containers[0].image = "registry.example.com/\(hostileText):1"
        pod.spec.containers[0].env = (pod.spec.containers[0].env ?? []) + [EnvVar(name: "GREETING", value: hostileText)]
        if var status = pod.status.containerStatuses?.first {
            status.image = pod.spec.containers[0].image
            status.lastState = ContainerState(terminated: .init(exitCode: 1, reason: "Error", message: hostileText,
                                                                startedAt: WireTime.seconds(now.addingTimeInterval(-600)),
                                                                finishedAt: WireTime.seconds(now.addingTimeInterval(-300))))
            status.restartCount = max(status.restartCount, 1)
            pod.status.containerStatuses?[0] = status
        }
    }

    /// Workload for the n-th pod of a namespace: mostly deployment replicas, some statefulset
    /// members, some job runs. The same app names recur in every namespace.
    static func workload(index: Int, namespace: String, rng: inout SeededRandom) -> PodFactory.Workload {
        let bucket = index % 10
        if bucket == 9 {
            let job = PodFactory.jobs[(index / 10) % PodFactory.jobs.count]
            return .job(name: "\(job)-\(29_400_000 + index)")
        }
        if bucket >= 7 {
            let set = PodFactory.statefulApps[(index / 10) % PodFactory.statefulApps.count]
            return .statefulSet(name: set, ordinal: index / (10 * PodFactory.statefulApps.count) * 3 + (bucket - 7))
        }
        let app = PodFactory.apps[(index / 7) % PodFactory.apps.count]
        var hashRNG = SeededRandom(seed: stableHash(namespace + app))
        return .deployment(name: app, hash: "\(hashRNG.hex(1).replacingOccurrences(of: "0", with: "7"))\(hashRNG.suffix(8))")
    }

    // MARK: Churn

    enum Action: CaseIterable { case restart, rollout, recreate, repeatEvent, flipReady }

    /// Applies one random churn action.
    func step() {
        let action = rng.withLock { rng -> Action in
            let r = Double.random(in: 0..<1, using: &rng)
            switch r {
            case ..<0.4: return .restart
            case ..<0.55: return .rollout
            case ..<0.65: return .recreate
            case ..<0.9: return .repeatEvent
            default: return .flipReady
            }
        }
        let pick = rng.withLock { Int.random(in: 0..<Int(Int32.max), using: &$0) }
        guard let key = cluster.podKey(at: pick) else { return }
        switch action {
        case .restart: restartContainer(key, reason: "OOMKilled", exitCode: 137)
        case .rollout: replace(key)
        case .recreate: recreate(key)
        case .repeatEvent: repeatEvent(about: key)
        case .flipReady: restartContainer(key, reason: "Error", exitCode: 1, backOff: false)
        }
    }

    /// A container exits and is restarted (or backs off): restartCount, lastState and a
    /// BackOff event change together, as in a real crash loop.
    @discardableResult
    func restartContainer(_ key: ObjectKey, container: Int = 0, reason: String, exitCode: Int, backOff: Bool = true) -> Bool {
        guard var pod = cluster.pod(key), pod.status.phase == "Running" || pod.status.phase == "Pending",
              pod.metadata.deletionTimestamp == nil, pod.status.containerStatuses?.isEmpty == false else { return false }
        let now = cluster.now()
        let event: Event = rng.withLock { rng in
            PodStatusWriter(now: now).restart(container: container, of: &pod, reason: reason, exitCode: exitCode, backOff: backOff, rng: &rng)
            let name = pod.spec.containers[min(container, pod.spec.containers.count - 1)].name
            return EventFactory(now: now).oldStyle(
                pod, reason: backOff ? "BackOff" : "Started",
                message: backOff ? "Back-off restarting failed container \(name) in pod \(pod.metadata.name)_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid))"
                    : "Started container \(name)",
                type: backOff ? "Warning" : "Normal", fieldPath: "spec.containers{\(name)}", rng: &rng)
        }
        cluster.commit([.upsertPod(pod), .upsertEvent(existingEvent(like: event) ?? event)])
        return true
    }

    /// A rollout step: the pod is deleted and a replacement with a new name (same generateName)
    /// appears.
    @discardableResult
    func replace(_ key: ObjectKey) -> Pod? {
        guard let old = cluster.pod(key), let generateName = old.metadata.generateName else { return nil }
        let now = cluster.now()
        let pod = rng.withLock { rng -> Pod in
            var pod = PodFactory().makePod(
                namespace: key.namespace, workload: .statefulSet(name: "x", ordinal: 0), health: .running,
                created: now, now: now, rng: &rng)
            pod.metadata.name = generateName + rng.suffix(5)
            pod.metadata.generateName = generateName
            pod.metadata.labels = old.metadata.labels
            pod.metadata.ownerReferences = old.metadata.ownerReferences
            pod.spec.containers = old.spec.containers
            pod.spec.initContainers = old.spec.initContainers
            PodStatusWriter(now: now).write(health: .running, into: &pod, node: old.spec.nodeName ?? "node-01", rng: &rng)
            return pod
        }
        let events = rng.withLock { rng in
            [EventFactory(now: now).oldStyle(old, reason: "Killing", message: "Stopping container \(old.spec.containers[0].name)",
                                             fieldPath: "spec.containers{\(old.spec.containers[0].name)}", rng: &rng),
             EventFactory(now: now).oldStyle(pod, reason: "Scheduled",
                                             message: "Successfully assigned \(key.namespace)/\(pod.metadata.name) to \(pod.spec.nodeName ?? "")",
                                             component: "default-scheduler", rng: &rng)]
        }
        cluster.commit([.deletePod(key), .upsertPod(pod)] + events.map { .upsertEvent($0) })
        return pod
    }

    /// The pod is deleted and re-created under the same name with a new UID (a statefulset
    /// member, or a bare pod applied again).
    @discardableResult
    func recreate(_ key: ObjectKey) -> Pod? {
        guard var pod = cluster.pod(key) else { return nil }
        let now = cluster.now()
        rng.withLock { rng in
            pod.metadata.uid = rng.uuid()
            pod.metadata.creationTimestamp = WireTime.seconds(now)
            pod.metadata.deletionTimestamp = nil
            pod.metadata.deletionGracePeriodSeconds = nil
            PodStatusWriter(now: now).write(health: .running, into: &pod, node: pod.spec.nodeName ?? "node-01", rng: &rng)
        }
        cluster.commit([.deletePod(key), .upsertPod(pod)])
        return pod
    }

    /// An existing event about the pod repeats: count and lastTimestamp (old style) or the
    /// series (new style) move on.
    func repeatEvent(about key: ObjectKey) {
        let now = cluster.now()
        guard var event = cluster.events(about: key).first else { return }
        if let series = event.series {
            event.series = Event.Series(count: series.count + 1, lastObservedTime: WireTime.micro(now))
        } else {
            event.count = (event.count ?? 1) + 1
            event.lastTimestamp = WireTime.seconds(now)
        }
        cluster.commit([.upsertEvent(event)])
    }

    /// Old-style events are aggregated by (object, reason, message): the existing one is
    /// bumped instead of a new one written.
    private func existingEvent(like event: Event) -> Event? {
        guard var existing = cluster.events(about: event.regardingKey).first(where: {
            $0.regarding.uid == event.regarding.uid && $0.reason == event.reason && $0.message == event.message && $0.series == nil
        }) else { return nil }
        existing.count = (existing.count ?? 1) + 1
        existing.lastTimestamp = event.lastTimestamp
        return existing
    }
}
