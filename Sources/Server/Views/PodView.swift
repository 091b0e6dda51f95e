import Foundation
import Informer
import Store

/// The seed's focused-pod view, built from the stored pod JSON (live or tombstone) and the
/// termination history kubeluma keeps.
enum PodView {
    static func message(pod: Pod, row: PodRow?, stored: StoredPod?, terminations: [ContainerTermination], now: Date) -> String {
        let summary = PodSummary(pod: pod)
        let meta = pod.metadata
        var w = JSONWriter(capacity: 8192)
        w.raw("{\"type\":\"pod\",\"data\":{")
        w.key("name"); w.string(meta.name ?? row?.name ?? "")
        w.key("namespace"); w.string(meta.namespace ?? row?.namespace ?? "")
        w.key("phase"); w.string(pod.status?.phase ?? "")
        // The seed's `node` is the node IP.
        w.key("node"); w.string(pod.status?.hostIP)
        w.key("podIP"); w.string(pod.status?.podIP)
        let created = meta.creationTimestamp
        w.key("ageSeconds"); w.number(created.map { max(0, Int(now.timeIntervalSince($0))) })
        w.key("uid"); w.string(meta.uid)
        w.key("status"); w.string(summary.status)
        w.key("nodeName"); w.string(pod.spec?.nodeName)
        w.key("createdAt"); w.date(created)
        w.key("qosClass"); w.string(pod.status?.qosClass)
        w.key("ready"); w.number(summary.ready)
        w.key("total"); w.number(summary.total)
        w.key("restarts"); w.number(summary.restarts)
        w.key("lastRestartAt"); w.date(summary.lastRestart)
        w.key("deleted"); w.bool(stored?.isTombstone ?? false)
        w.key("deletedAt"); w.date(stored?.deletedAt)
        w.key("containers"); w.raw("[")
        var first = true
        let spec = pod.spec
        let groups: [(String, [Container], [ContainerStatus])] = [
            ("init", spec?.initContainers ?? [], pod.status?.initContainerStatuses ?? []),
            ("app", spec?.containers ?? [], pod.status?.containerStatuses ?? []),
            ("ephemeral", spec?.ephemeralContainers ?? [], pod.status?.ephemeralContainerStatuses ?? []),
        ]
        for (kind, containers, statuses) in groups {
            for container in containers {
                if !first { w.comma() }
                first = false
                // Status lists need not line up with spec lists: join by name.
                write(container, status: statuses.first { $0.name == container.name }, kind: kind, pod: pod, into: &w)
            }
        }
        w.raw("]")
        w.key("terminations"); w.raw("[")
        for (i, t) in terminations.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("container"); w.string(t.container)
            w.key("restartCount"); w.number(t.restartCount)
            writeTermination(reason: t.reason, exitCode: t.exitCode, signal: t.signal, startedAt: t.startedAt,
                             finishedAt: t.finishedAt, into: &w)
            w.raw("}")
        }
        w.raw("]}}")
        return w.text
    }

    private static func writeTermination(reason: String?, exitCode: Int, signal: Int?, startedAt: Date?,
                                         finishedAt: Date?, into w: inout JSONWriter) {
        w.key("reason"); w.string(reason)
        w.key("exitCode"); w.number(exitCode)
        w.key("signal"); w.number(signal)
        w.key("startedAt"); w.date(startedAt)
        w.key("finishedAt"); w.date(finishedAt)
    }

    private static func write(_ c: Container, status: ContainerStatus?, kind: String, pod: Pod, into w: inout JSONWriter) {
        w.raw("{")
        w.key("name"); w.string(c.name)
        w.key("ready"); w.bool(status?.ready ?? false)
        w.key("restarts"); w.number(status?.restartCount ?? 0)
        let state = status?.state
        let stateName = state?.running != nil ? "running" : state?.terminated != nil ? "terminated" : state?.waiting != nil ? "waiting" : "unknown"
        w.key("state"); w.string(stateName)
        w.key("image"); w.string(c.image ?? status?.image)
        w.key("env"); w.raw("[")
        for (i, env) in (c.env ?? []).enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("name"); w.string(env.name)
            w.key("value"); w.string(EnvDisplay.value(of: env))
            w.raw("}")
        }
        w.raw("]")
        w.key("kind"); w.string(kind)
        w.key("sidecar"); w.bool(kind == "init" && c.isSidecar)
        w.key("stateReason"); w.string(state?.waiting?.reason ?? state?.terminated?.reason)
        w.key("stateMessage"); w.string(state?.waiting?.message ?? state?.terminated?.message)
        w.key("startedAt"); w.date(state?.running?.startedAt ?? state?.terminated?.startedAt)
        w.key("lastTermination")
        if let t = status?.lastState?.terminated ?? status?.state?.terminated {
            w.raw("{")
            writeTermination(reason: t.reason, exitCode: t.exitCode, signal: t.signal, startedAt: t.startedAt,
                             finishedAt: t.finishedAt, into: &w)
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.key("envFrom"); w.raw("[")
        for (i, source) in (c.envFrom ?? []).enumerated() {
            if i > 0 { w.comma() }
            let isSecret = source.secretRef != nil
            let ref = source.secretRef ?? source.configMapRef
            w.raw("{")
            w.key("source"); w.string(isSecret ? "secret" : "configmap")
            w.key("name"); w.string(ref?.name)
            w.key("prefix"); w.string(source.prefix)
            w.key("optional"); w.bool(ref?.optional ?? false)
            w.raw("}")
        }
        w.raw("]")
        w.key("resources"); w.raw("{")
        for (i, (label, values)) in [("requests", c.resources?.requests), ("limits", c.resources?.limits)].enumerated() {
            if i > 0 { w.comma() }
            w.raw("\"\(label)\":{")
            w.key("cpu"); w.string(values?["cpu"])
            w.key("memory"); w.string(values?["memory"])
            w.raw("}")
        }
        w.raw("}}")
    }
}

/// How an env var is shown: the value, or where it comes from. Secret values are never read
/// (kubeluma does not fetch Secrets): only the reference is shown, masked.
enum EnvDisplay {
    static func value(of env: EnvVar) -> String {
        if let value = env.value { return value }
        guard let from = env.valueFrom else { return "" }
        if let s = from.secretKeyRef { return "*** (secret \(s.name ?? "")/\(s.key ?? ""))" }
        if let c = from.configMapKeyRef { return "configmap:\(c.name ?? "")/\(c.key ?? "")" }
        if let f = from.fieldRef { return "fieldRef:\(f.fieldPath ?? "")" }
        if let r = from.resourceFieldRef { return "resourceField:\(r.resource ?? "")" }
        if let f = from.fileKeyRef { return "file:\(f.volumeName ?? "")/\(f.path ?? "")/\(f.key ?? "")" }
        return ""
    }
}
