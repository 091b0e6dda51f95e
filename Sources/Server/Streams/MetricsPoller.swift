import Foundation
import Informer
import Logging
import Store
import Synchronization

/// Reads `metrics.k8s.io` for the focused pods every `--metrics-interval` seconds, once per pod
/// however many sessions focus it. No metrics API (404/503) gives `{"disabled":true}`, never an
/// error storm or another pod's numbers.
final class MetricsPoller: Sendable {
    let client: KubeClient
    let cache: ClusterCache
    let interval: Duration
    let logger: Logger
    /// Requests and limits per pod uid, with the row seq they were read at: a pod's spec is read
    /// from the store and decoded once per change, not on every metrics tick.
    private let resourceCache = Mutex<[String: (seq: UInt64, resources: [String: Resources])]>([:])

    typealias Resources = (cpuRequest: Double?, cpuLimit: Double?, memoryRequest: Double?, memoryLimit: Double?)

    init(client: KubeClient, cache: ClusterCache, interval: Duration, logger: Logger) {
        self.client = client
        self.cache = cache
        self.interval = interval
        self.logger = logger
    }

    struct PodMetrics: Decodable {
        struct ContainerMetrics: Decodable {
            var name: String
            var usage: [String: String]
        }
        var timestamp: String?
        var containers: [ContainerMetrics]
    }

    func run(sessions: @escaping @Sendable () -> [ClientSession]) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            var byPod: [PodKey: [ClientSession]] = [:]
            for session in sessions() {
                if let focus = session.snapshot.focus { byPod[focus, default: []].append(session) }
            }
            for (pod, targets) in byPod {
                let message = await read(pod)
                for session in targets where session.snapshot.focus == pod { session.send(message) }
            }
        }
    }

    func sendNow(to session: ClientSession, pod: PodKey) async {
        let message = await read(pod)
        if session.snapshot.focus == pod { session.send(message) }
    }

    private static let disabled = #"{"type":"metrics","data":{"disabled":true}}"#

    func read(_ pod: PodKey) async -> String {
        let body: [UInt8]
        do {
            body = try await client.get(path: "/apis/metrics.k8s.io/v1beta1/namespaces/\(pod.namespace)/pods/\(pod.name)")
        } catch {
            logger.debug("metrics unavailable", metadata: ["pod": "\(pod)", "error": "\(error)"])
            return Self.disabled
        }
        guard let metrics = try? JSONDecoder().decode(PodMetrics.self, from: Data(body)) else { return Self.disabled }
        let spec = await containerResources(pod)
        var w = JSONWriter(capacity: 512)
        w.raw("{\"type\":\"metrics\",\"data\":{")
        w.key("containers"); w.raw("[")
        for (i, c) in metrics.containers.enumerated() {
            if i > 0 { w.comma() }
            let cpu = c.usage["cpu"].flatMap(Quantity.parse).map { Int($0.milliValue) }
            let memoryBytes = c.usage["memory"].flatMap(Quantity.parse).map { Double($0.value) }
            let resources = spec[c.name]
            func percent(_ used: Double?, _ of: Double?) -> Double? {
                guard let used, let of, of > 0 else { return nil }
                return used / of * 100
            }
            w.raw("{")
            w.key("name"); w.string(c.name)
            w.key("cpu"); w.number(cpu)
            w.key("memoryMiB"); w.number(memoryBytes.map { $0 / 1_048_576 })
            w.key("cpuRequestPercent"); w.number(percent(cpu.map(Double.init), resources?.cpuRequest))
            w.key("cpuLimitPercent"); w.number(percent(cpu.map(Double.init), resources?.cpuLimit))
            w.key("memoryRequestPercent"); w.number(percent(memoryBytes, resources?.memoryRequest))
            w.key("memoryLimitPercent"); w.number(percent(memoryBytes, resources?.memoryLimit))
            w.raw("}")
        }
        w.raw("]")
        w.key("pod"); w.string(pod.name)
        w.key("namespace"); w.string(pod.namespace)
        w.key("timestamp"); w.string(metrics.timestamp)
        w.raw("}}")
        return w.text
    }

    /// Requests and limits per container (CPU in millicores, memory in bytes), from the stored pod.
    private func containerResources(_ key: PodKey) async -> [String: Resources] {
        guard let row = cache.index.snapshot().pod(namespace: key.namespace, name: key.name) else { return [:] }
        if let cached = resourceCache.withLock({ $0[row.uid] }), cached.seq == row.seq { return cached.resources }
        let resources = await readResources(uid: row.uid)
        resourceCache.withLock { cache in
            if cache.count > 1_000 { cache.removeAll() }  // focused pods only; bound it anyway
            cache[row.uid] = (row.seq, resources)
        }
        return resources
    }

    private func readResources(uid: String) async -> [String: Resources] {
        guard let stored = try? await cache.storedPod(uid: uid),
              case .pod(let pod, _)? = try? SimdDecodingEngine.shared.decodeObject(stored.json, resource: .pods) else { return [:] }
        var out: [String: Resources] = [:]
        for c in (pod.spec?.containers ?? []) + (pod.spec?.initContainers ?? []) {
            func milli(_ q: String?) -> Double? { q.flatMap(Quantity.parse).map { Double($0.milliValue) } }
            func bytes(_ q: String?) -> Double? { q.flatMap(Quantity.parse).map { Double($0.value) } }
            out[c.name] = (milli(c.resources?.requests?["cpu"]), milli(c.resources?.limits?["cpu"]),
                           bytes(c.resources?.requests?["memory"]), bytes(c.resources?.limits?["memory"]))
        }
        return out
    }
}
