import Foundation

/// PodMetrics as metrics-server reports them: CPU in nanocores, memory (working set) in Ki,
/// only for containers that are running, values that drift slowly over time.
enum MetricsGenerator {
    struct Usage: Encodable { var cpu: String; var memory: String }
    struct ContainerMetrics: Encodable { var name: String; var usage: Usage }
    struct PodMetrics: Encodable {
        struct Meta: Encodable {
            var name: String
            var namespace: String
            var creationTimestamp: String
            var labels: [String: String]?
        }
        var kind = "PodMetrics"
        var apiVersion = "metrics.k8s.io/v1beta1"
        var metadata: Meta
        var timestamp: String
        var window = "15.021s"
        var containers: [ContainerMetrics]
    }

    /// nil when no container is running (metrics-server has no sample for the pod).
    static func metrics(for pod: Pod, now: Date) -> PodMetrics? {
        let running = (pod.status.containerStatuses ?? []) + (pod.status.initContainerStatuses ?? []).filter { $0.state.running != nil }
        let containers = running.filter { $0.state.running != nil }.map { status -> ContainerMetrics in
            let spec = ((pod.spec.containers) + (pod.spec.initContainers ?? [])).first { $0.name == status.name }
            let seed = Double(stableHash(pod.metadata.uid + status.name) % 1000) / 1000
            // A 15 s sample window: values step every 15 s, like metrics-server's scrape.
            let phase = (now.timeIntervalSince1970 / 15).rounded(.down) / 20
            let wave = 0.5 + 0.4 * sin(phase + seed * 6.28)
            let cpuRequest = milli(spec?.resources.requests?["cpu"]) ?? 100
            let memLimitKi = kibi(spec?.resources.limits?["memory"]) ?? 262_144
            let cpuNano = Int(Double(cpuRequest) * 1_000_000 * (0.2 + 1.3 * wave))
            let memKi = Int(Double(memLimitKi) * (0.3 + 0.65 * wave))
            return ContainerMetrics(name: status.name, usage: Usage(cpu: "\(cpuNano)n", memory: "\(memKi)Ki"))
        }
        guard !containers.isEmpty else { return nil }
        let timestamp = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 15).rounded(.down) * 15)
        return PodMetrics(
            metadata: .init(name: pod.metadata.name, namespace: pod.metadata.namespace ?? "",
                            creationTimestamp: WireTime.seconds(now), labels: pod.metadata.labels),
            timestamp: WireTime.seconds(timestamp), containers: containers)
    }

    /// The scenario writes CPU as `<n>m` or whole cores and memory as `<n>Mi`/`<n>Gi`.
    private static func milli(_ q: String?) -> Int? {
        guard let q else { return nil }
        if q.hasSuffix("m") { return Int(q.dropLast()) }
        return Int(q).map { $0 * 1000 }
    }

    private static func kibi(_ q: String?) -> Int? {
        guard let q else { return nil }
        if q.hasSuffix("Mi") { return Int(q.dropLast(2)).map { $0 * 1024 } }
        if q.hasSuffix("Gi") { return Int(q.dropLast(2)).map { $0 * 1024 * 1024 } }
        return nil
    }
}
