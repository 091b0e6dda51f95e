import Foundation

/// The STATUS, READY and RESTARTS columns of `kubectl get pods`, computed exactly as the
/// apiserver's `printPod` (v1.34) does, so the words match what users see in kubectl.
public struct PodSummary: Sendable, Hashable {
    /// The STATUS word, e.g. `Running`, `CrashLoopBackOff`, `Init:0/2`, `Terminating`.
    public var status: String
    /// Ready containers: regular ones ready and running, plus started and ready sidecars.
    public var ready: Int
    /// Regular containers plus sidecars (init containers with `restartPolicy: Always`).
    public var total: Int
    /// Restarts (non-sidecar init restarts are dropped once the pod has initialised).
    public var restarts: Int
    /// The latest `lastState.terminated.finishedAt` among the containers counted in `restarts`.
    public var lastRestart: Date?

    public init(status: String, ready: Int, total: Int, restarts: Int, lastRestart: Date?) {
        self.status = status
        self.ready = ready
        self.total = total
        self.restarts = restarts
        self.lastRestart = lastRestart
    }

    /// `"ready/total"`, the READY column.
    public var readyText: String { "\(ready)/\(total)" }

    /// The RESTARTS column at `now`: `"5 (53s ago)"`, or the bare number.
    public func restartsText(now: Date) -> String {
        guard restarts != 0, let lastRestart else { return String(restarts) }
        return "\(restarts) (\(HumanDuration.string(now.timeIntervalSince(lastRestart))) ago)"
    }

    /// Computes the columns for a pod (KUBERNETES-API.md §4.2–4.4).
    public init(pod: Pod) {
        let spec = pod.spec
        let st = pod.status
        let phase = st?.phase ?? ""
        var reason = (st?.reason).flatMap { $0.isEmpty ? nil : $0 } ?? phase
        if st?.conditions?.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) == true {
            reason = "SchedulingGated"
        }
        let initSpecs = spec?.initContainers ?? []
        let sidecarNames = Set(initSpecs.filter(\.isSidecar).map(\.name))
        let total = (spec?.containers?.count ?? 0) + sidecarNames.count
        var ready = 0, restarts = 0, sidecarRestarts = 0
        var lastRestart: Date?, lastSidecarRestart: Date?
        var initializing = false

        func later(_ a: Date?, _ b: Date?) -> Date? {
            guard let a else { return b }
            guard let b else { return a }
            return max(a, b)
        }
        func terminatedWord(_ t: ContainerStateTerminated) -> String {
            if let signal = t.signal, signal != 0 { return "Signal:\(signal)" }
            return "ExitCode:\(t.exitCode)"
        }

        for (i, cs) in (st?.initContainerStatuses ?? []).enumerated() {
            let finished = cs.lastState?.terminated?.finishedAt
            restarts += cs.restartCount ?? 0
            lastRestart = later(lastRestart, finished)
            let sidecar = sidecarNames.contains(cs.name)
            if sidecar {
                sidecarRestarts += cs.restartCount ?? 0
                lastSidecarRestart = later(lastSidecarRestart, finished)
            }
            if let t = cs.state?.terminated, t.exitCode == 0 { continue }
            if sidecar && cs.started == true {
                if cs.ready == true { ready += 1 }
                continue
            }
            if let t = cs.state?.terminated {
                reason = "Init:" + ((t.reason?.isEmpty == false) ? t.reason! : terminatedWord(t))
            } else if let w = cs.state?.waiting?.reason, !w.isEmpty, w != "PodInitializing" {
                reason = "Init:" + w
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        if !initializing || st?.condition("Initialized")?.status == "True" {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for cs in (st?.containerStatuses ?? []).reversed() {
                restarts += cs.restartCount ?? 0
                lastRestart = later(lastRestart, cs.lastState?.terminated?.finishedAt)
                if let w = cs.state?.waiting?.reason, !w.isEmpty {
                    reason = w
                } else if let r = cs.state?.terminated?.reason, !r.isEmpty {
                    reason = r
                } else if let t = cs.state?.terminated {
                    reason = terminatedWord(t)
                } else if cs.ready == true && cs.state?.running != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning {
                reason = st?.condition("Ready")?.status == "True" ? "Running" : "NotReady"
            }
        }

        if pod.metadata.deletionTimestamp != nil && st?.reason == "NodeLost" {
            reason = "Unknown"
        } else if pod.metadata.deletionTimestamp != nil && phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating"
        }
        self.init(status: reason, ready: ready, total: total, restarts: restarts, lastRestart: lastRestart)
    }
}
