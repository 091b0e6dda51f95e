import Foundation

/// Events about pods, in both styles real clusters hold: old-style (kubelet and controllers
/// writing through core/v1: `count`, first/last timestamps, no `eventTime`) and new-style
/// (written through events.k8s.io/v1: `eventTime`, `series`, `action`).
struct EventFactory {
    let now: Date

    func reference(_ pod: Pod, fieldPath: String? = nil) -> Event.Reference {
        Event.Reference(kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name,
                        uid: pod.metadata.uid, apiVersion: "v1", resourceVersion: nil, fieldPath: fieldPath)
    }

    /// kubectl-style event name: `<object>.<hex timestamp>`.
    func name(for pod: Pod, rng: inout SeededRandom) -> String {
        "\(pod.metadata.name).\(String(UInt64(now.timeIntervalSince1970 * 1e9) &+ UInt64.random(in: 0..<1_000_000, using: &rng), radix: 16))"
    }

    func oldStyle(_ pod: Pod, reason: String, message: String, type: String = "Normal", component: String = "kubelet",
                  fieldPath: String? = nil, count: Int = 1, first: Date? = nil, last: Date? = nil,
                  rng: inout SeededRandom) -> Event {
        let host = pod.spec.nodeName ?? ""
        let lastDate = last ?? now
        let firstText = WireTime.seconds(min(first ?? lastDate, lastDate))
        return Event(
            metadata: ObjectMeta(name: name(for: pod, rng: &rng), namespace: pod.metadata.namespace, uid: rng.uuid(),
                                 resourceVersion: "0", creationTimestamp: firstText),
            regarding: reference(pod, fieldPath: fieldPath), reason: reason, message: message, type: type,
            source: Event.Source(component: component, host: component == "kubelet" ? host : nil),
            firstTimestamp: firstText, lastTimestamp: WireTime.seconds(lastDate), count: count,
            reportingController: component, reportingInstance: component == "kubelet" ? host : "")
    }

    func newStyle(_ pod: Pod, reason: String, note: String, type: String = "Warning", action: String,
                  controller: String, instance: String, series: Int?, rng: inout SeededRandom) -> Event {
        // A series began a while before its last sighting (`now`); a single occurrence is `now`,
        // else it would expire sooner than its last sighting says.
        let seriesStart = now.addingTimeInterval(-Double(Int.random(in: 30...900, using: &rng)))
        let start = series == nil ? now : seriesStart
        return Event(
            metadata: ObjectMeta(name: name(for: pod, rng: &rng), namespace: pod.metadata.namespace, uid: rng.uuid(),
                                 resourceVersion: "0", creationTimestamp: WireTime.seconds(start)),
            regarding: reference(pod), related: pod.spec.nodeName.map {
                Event.Reference(kind: "Node", name: $0, apiVersion: "v1")
            },
            reason: reason, message: note, type: type, source: nil, firstTimestamp: nil, lastTimestamp: nil, count: nil,
            eventTime: WireTime.micro(start),
            series: series.map { Event.Series(count: $0, lastObservedTime: WireTime.micro(now)) },
            action: action, reportingController: controller, reportingInstance: instance)
    }

    /// The `round`-th additional event about a pod (`SimulatorConfiguration.events`): image
    /// pulled, container created and started for each of its containers (init containers and
    /// sidecars included), then liveness-probe warnings; last seen within the TTL.
    func extra(for pod: Pod, round: Int, rng: inout SeededRandom) -> Event {
        let containers = (pod.spec.initContainers ?? []) + pod.spec.containers
        let container = containers[round % containers.count]
        let field = "spec.\(round % containers.count < (pod.spec.initContainers?.count ?? 0) ? "initContainers" : "containers"){\(container.name)}"
        let events = EventFactory(now: now.addingTimeInterval(-Double(Int.random(in: 5...3300, using: &rng))))
        switch (round / containers.count) % 4 {
        case 0: return events.oldStyle(pod, reason: "Pulled", message: "Container image \"\(container.image)\" already present on machine",
                                       fieldPath: field, rng: &rng)
        case 1: return events.oldStyle(pod, reason: "Created", message: "Created container: \(container.name)", fieldPath: field, rng: &rng)
        case 2: return events.oldStyle(pod, reason: "Started", message: "Started container \(container.name)", fieldPath: field, rng: &rng)
        default:
            return events.oldStyle(pod, reason: "Unhealthy", message: "Liveness probe failed: Get \"http://\(pod.status.podIP ?? "10.0.0.1"):8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                                   type: "Warning", fieldPath: field, count: Int.random(in: 1...40, using: &rng), rng: &rng)
        }
    }

    /// The history a pod in this state would have.
    /// Only the last hour survives the event TTL, so last-seen times fall in the last 55
    /// minutes; first-seen goes back to the pod's creation for repeating events.
    func history(for pod: Pod, health: PodFactory.Health, rng: inout SeededRandom) -> [Event] {
        let podCreated = WireTime.parse(pod.metadata.creationTimestamp) ?? now
        let lastSeen = max(podCreated, now.addingTimeInterval(-Double(Int.random(in: 5...3300, using: &rng))))
        let created = lastSeen
        let events = EventFactory(now: lastSeen)
        let main = pod.spec.containers[0]
        let field = "spec.containers{\(main.name)}"
        var result: [Event] = []
        if health == .unschedulable {
            result.append(events.oldStyle(pod, reason: "FailedScheduling",
                                   message: "0/40 nodes are available: 40 Insufficient memory. preemption: 0/40 nodes are available: 40 No preemption victims found for incoming pod.",
                                   type: "Warning", component: "default-scheduler", count: Int.random(in: 1...30, using: &rng), first: created, rng: &rng))
            return result
        }
        result.append(events.oldStyle(pod, reason: "Scheduled",
                               message: "Successfully assigned \(pod.metadata.namespace ?? "")/\(pod.metadata.name) to \(pod.spec.nodeName ?? "")",
                               component: "default-scheduler", first: created, rng: &rng))
        result.append(events.oldStyle(pod, reason: "Pulled",
                               message: "Container image \"\(main.image)\" already present on machine", fieldPath: field, first: created, rng: &rng))
        result.append(events.oldStyle(pod, reason: "Created", message: "Created container: \(main.name)", fieldPath: field, first: created, rng: &rng))
        result.append(events.oldStyle(pod, reason: "Started", message: "Started container \(main.name)", fieldPath: field, first: created, rng: &rng))
        switch health {
        case .crashLoopOOM, .crashLoopError:
            let restarts = pod.status.containerStatuses?.first?.restartCount ?? 1
            result.append(events.oldStyle(pod, reason: "BackOff",
                                   message: "Back-off restarting failed container \(main.name) in pod \(pod.metadata.name)_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid))",
                                   type: "Warning", fieldPath: field, count: max(1, restarts * 4), first: podCreated, rng: &rng))
            if health == .crashLoopOOM {
                result.append(events.newStyle(pod, reason: "OOMKillDetected", note: "Container \(main.name) was OOMKilled \(restarts) times in the last 10 minutes",
                                       action: "Observe", controller: "kubeluma.example.com/oom-watcher",
                                       instance: "oom-watcher-7f9c4d5b8-x2lqz", series: restarts, rng: &rng))
            }
        case .imagePullBackOff:
            result.append(events.oldStyle(pod, reason: "Failed",
                                   message: "Failed to pull image \"\(main.image)\": rpc error: code = NotFound desc = failed to pull and unpack image \"\(main.image)\": not found",
                                   type: "Warning", fieldPath: field, count: 4, first: created, rng: &rng))
            result.append(events.oldStyle(pod, reason: "BackOff", message: "Back-off pulling image \"\(main.image)\"",
                                   type: "Warning", fieldPath: field, count: 12, first: created, rng: &rng))
        case .runningNotReady:
            result.append(events.oldStyle(pod, reason: "Unhealthy",
                                   message: "Readiness probe failed: HTTP probe failed with statuscode: 503",
                                   type: "Warning", fieldPath: field, count: Int.random(in: 3...200, using: &rng), first: podCreated, rng: &rng))
        case .evicted:
            result.append(events.oldStyle(pod, reason: "Evicted", message: pod.status.message ?? "Evicted", type: "Warning", rng: &rng))
        case .terminating:
            result.append(events.oldStyle(pod, reason: "Killing", message: "Stopping container \(main.name)", fieldPath: field, rng: &rng))
        case .completed, .failed:
            result.append(events.newStyle(pod, reason: health == .completed ? "Completed" : "BackoffLimitExceeded",
                                   note: health == .completed ? "Job completed" : "Job has reached the specified backoff limit",
                                   type: health == .completed ? "Normal" : "Warning", action: "Sync",
                                   controller: "job-controller", instance: "kube-controller-manager", series: nil, rng: &rng))
        default:
            break
        }
        return result
    }
}
