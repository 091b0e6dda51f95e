import Foundation
import Informer

/// Everything the store writes for one pod version: the summary row, the JSON and the container
/// statuses that terminations are derived from. Built once per object, outside SQL.
struct PodRecord: Sendable {
    var uid: String
    var key: PodKey
    var phase: String
    var summary: PodSummary
    var node: String?
    var podIP: String?
    var hostIP: String?
    var createdAt: Date?
    var resourceVersion: String
    var json: [UInt8]
    var containers: [ContainerStatus]

    /// nil for an object without a uid or name, which the API server never sends for a pod.
    init?(pod: Pod, json: [UInt8]) {
        guard let uid = pod.metadata.uid, !uid.isEmpty, let name = pod.metadata.name, !name.isEmpty else { return nil }
        self.uid = uid
        key = PodKey(namespace: pod.metadata.namespace ?? "", name: name)
        phase = pod.status?.phase ?? ""
        summary = PodSummary(pod: pod)
        node = pod.spec?.nodeName.flatMap { $0.isEmpty ? nil : $0 }
        podIP = (pod.status?.podIPs?.first?.ip ?? pod.status?.podIP).flatMap { $0.isEmpty ? nil : $0 }
        hostIP = (pod.status?.hostIP ?? pod.status?.hostIPs?.first?.ip).flatMap { $0.isEmpty ? nil : $0 }
        createdAt = pod.metadata.creationTimestamp
        resourceVersion = pod.metadata.resourceVersion ?? ""
        self.json = json
        let status = pod.status
        containers = (status?.initContainerStatuses ?? []) + (status?.containerStatuses ?? [])
            + (status?.ephemeralContainerStatuses ?? [])
    }

    func row(seq: UInt64) -> PodRow {
        PodRow(uid: uid, namespace: key.namespace, name: key.name, phase: phase, status: summary.status,
               ready: summary.ready, total: summary.total, restarts: summary.restarts,
               lastRestart: summary.lastRestart, node: node, podIP: podIP, hostIP: hostIP,
               createdAt: createdAt, resourceVersion: resourceVersion, seq: seq)
    }

    /// Whether any container has something the termination history needs to look at.
    var hasContainerHistory: Bool {
        containers.contains { ($0.restartCount ?? 0) > 0 || $0.state?.terminated != nil || $0.lastState?.terminated != nil }
    }

    /// The records of a relist, built on all cores: the summaries (kubectl's STATUS word, ready
    /// counts, restarts) cost ~10 µs a pod, and both halves of a relist (the preview the table
    /// shows and the transaction) use the same records.
    /// Objects without a uid or name (never sent by an API server) are left out.
    static func records(_ objects: [KubeObject]) -> [PodRecord] {
        let slots = UnsafeMutableBufferPointer<PodRecord?>.allocate(capacity: objects.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let chunk = 256
        let chunks = (objects.count + chunk - 1) / chunk
        nonisolated(unsafe) let output = slots
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            for i in part * chunk..<min(objects.count, (part + 1) * chunk) {
                guard case let .pod(pod, json) = objects[i] else { continue }
                output[i] = PodRecord(pod: pod, json: json)
            }
        }
        let records = slots.compactMap { $0 }
        _ = slots.deinitialize()
        return records
    }
}
