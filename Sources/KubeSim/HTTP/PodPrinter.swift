import Foundation

/// kube-apiserver's server-side printer for pods (`printPod`, KUBERNETES-API.md §4.2–4.6):
/// the STATUS, READY, RESTARTS and AGE cells `kubectl get pods` shows. Written for the
/// simulator alone and checked against the real server's golden cells, so the client's own
/// implementation can be checked against this one without sharing a mistake.
enum PodPrinter {
    struct Row { var name, ready, status, restarts, age, ip, node, nominated, gates: String }

    static func row(_ pod: Pod, now: Date) -> Row {
        var reason = pod.status.reason ?? pod.status.phase
        let conditions = pod.status.conditions ?? []
        if conditions.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        let initSpecs = pod.spec.initContainers ?? []
        func isSidecar(_ name: String) -> Bool { initSpecs.first { $0.name == name }?.restartPolicy == "Always" }
        let total = pod.spec.containers.count + initSpecs.filter { $0.restartPolicy == "Always" }.count
        var ready = 0, restarts = 0, sidecarRestarts = 0
        var lastRestart: Date?, lastSidecarRestart: Date?
        var initializing = false
        func later(_ a: Date?, _ b: String?) -> Date? {
            guard let b, let d = WireTime.parse(b) else { return a }
            return a.map { max($0, d) } ?? d
        }

        for (i, cs) in (pod.status.initContainerStatuses ?? []).enumerated() {
            restarts += cs.restartCount
            lastRestart = later(lastRestart, cs.lastState.terminated?.finishedAt)
            let sidecar = isSidecar(cs.name)
            if sidecar {
                sidecarRestarts += cs.restartCount
                lastSidecarRestart = later(lastSidecarRestart, cs.lastState.terminated?.finishedAt)
            }
            if let t = cs.state.terminated, t.exitCode == 0 { continue }
            if sidecar && cs.started == true {
                if cs.ready { ready += 1 }
                continue
            }
            if let t = cs.state.terminated {
                if let r = t.reason, !r.isEmpty { reason = "Init:" + r }
                else if let s = t.signal, s != 0 { reason = "Init:Signal:\(s)" }
                else { reason = "Init:ExitCode:\(t.exitCode)" }
            } else if let w = cs.state.waiting?.reason, !w.isEmpty, w != "PodInitializing" {
                reason = "Init:" + w
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.contains { $0.type == "Initialized" && $0.status == "True" }
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for cs in (pod.status.containerStatuses ?? []).reversed() {
                restarts += cs.restartCount
                lastRestart = later(lastRestart, cs.lastState.terminated?.finishedAt)
                if let w = cs.state.waiting?.reason, !w.isEmpty {
                    reason = w
                } else if let t = cs.state.terminated, let r = t.reason, !r.isEmpty {
                    reason = r
                } else if let t = cs.state.terminated {
                    reason = (t.signal ?? 0) != 0 ? "Signal:\(t.signal!)" : "ExitCode:\(t.exitCode)"
                } else if cs.ready && cs.state.running != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning {
                reason = conditions.contains { $0.type == "Ready" && $0.status == "True" } ? "Running" : "NotReady"
            }
        }
        if pod.metadata.deletionTimestamp != nil && pod.status.reason == "NodeLost" {
            reason = "Unknown"
        } else if pod.metadata.deletionTimestamp != nil && pod.status.phase != "Succeeded" && pod.status.phase != "Failed" {
            reason = "Terminating"
        }

        var restartText = String(restarts)
        if restarts != 0, let lastRestart {
            restartText = "\(restarts) (\(humanDuration(now.timeIntervalSince(lastRestart))) ago)"
        }
        let age = WireTime.parse(pod.metadata.creationTimestamp).map { humanDuration(now.timeIntervalSince($0)) } ?? "<unknown>"
        return Row(name: pod.metadata.name, ready: "\(ready)/\(total)", status: reason, restarts: restartText, age: age,
                   ip: pod.status.podIPs?.first?.ip ?? "<none>", node: pod.spec.nodeName ?? "<none>",
                   nominated: "<none>", gates: "<none>")
    }

    /// `apimachinery/pkg/util/duration.HumanDuration`.
    static func humanDuration(_ interval: TimeInterval) -> String {
        let s = Int(interval.rounded(.towardZero))
        if s < -1 { return "<invalid>" }
        if s < 0 { return "0s" }
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 192 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        let d = h / 24
        if h < 24 * 365 * 8 { return d % 365 == 0 ? "\(d / 365)y" : "\(d / 365)y\(d % 365)d" }
        return "\(d / 365)y"
    }
}
