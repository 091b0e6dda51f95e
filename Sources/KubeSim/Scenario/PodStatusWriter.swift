import Foundation

/// Writes pod status the way kubelet reports it for each health the scenario uses, and the
/// transitions churn applies (a container restart, a crash).
struct PodStatusWriter {
    let now: Date

    func write(health: PodFactory.Health, into pod: inout Pod, node: String, rng: inout SeededRandom) {
        let created = WireTime.parse(pod.metadata.creationTimestamp) ?? now
        let started = WireTime.seconds(created.addingTimeInterval(2))
        let t = WireTime.seconds(created.addingTimeInterval(1))
        let hostIP = "10.0.\(Int.random(in: 0...3, using: &rng)).\(Int.random(in: 2...250, using: &rng))"
        let podIP = "10.244.\(Int.random(in: 0...200, using: &rng)).\(Int.random(in: 2...250, using: &rng))"
        var status = PodStatus(phase: "Running", hostIP: hostIP, hostIPs: [IPEntry(ip: hostIP)], podIP: podIP,
                               podIPs: [IPEntry(ip: podIP)], startTime: t, qosClass: "Burstable")

        func cs(_ c: Container, state: ContainerState, ready: Bool, restarts: Int = 0,
                last: ContainerState = ContainerState(), started: Bool? = nil) -> ContainerStatus {
            let running = state.running != nil || state.terminated != nil
            return ContainerStatus(
                name: c.name, state: state, lastState: last, ready: ready, restartCount: restarts,
                image: c.image,
                imageID: running || restarts > 0 ? "\(c.image.split(separator: ":")[0])@sha256:\(rng.hex(64))" : "",
                containerID: running ? "containerd://\(rng.hex(64))" : nil, started: started ?? (state.running != nil))
        }
        let running = ContainerState(running: .init(startedAt: started))
        let sidecars = (pod.spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
        let plainInits = (pod.spec.initContainers ?? []).filter { $0.restartPolicy != "Always" }
        let initDone = ContainerState(terminated: .init(exitCode: 0, reason: "Completed", startedAt: t, finishedAt: t,
                                                        containerID: "containerd://\(rng.hex(64))"))
        var ready = true
        var conditionsReady = true
        var initialized = true
        var scheduled = true
        var initStatuses = plainInits.map { cs($0, state: initDone, ready: true, started: false) }
            + sidecars.map { cs($0, state: running, ready: true, started: true) }
        var statuses: [ContainerStatus] = pod.spec.containers.map { cs($0, state: running, ready: true) }

        func crash(reason: String, exitCode: Int, restarts: Int) -> ContainerStatus {
            let finished = now.addingTimeInterval(-Double(Int.random(in: 10...600, using: &rng)))
            let last = ContainerState(terminated: .init(
                exitCode: exitCode, reason: reason, startedAt: WireTime.seconds(finished.addingTimeInterval(-30)),
                finishedAt: WireTime.seconds(finished), containerID: "containerd://\(rng.hex(64))"))
            let waiting = ContainerState(waiting: .init(
                reason: "CrashLoopBackOff",
                message: "back-off 5m0s restarting failed container=\(pod.spec.containers[0].name) pod=\(pod.metadata.name)_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid))"))
            return cs(pod.spec.containers[0], state: waiting, ready: false, restarts: restarts, last: last)
        }

        switch health {
        case .running:
            break
        case .runningNotReady:
            statuses[0].ready = false
            conditionsReady = false
        case .crashLoopOOM:
            statuses[0] = crash(reason: "OOMKilled", exitCode: 137, restarts: Int.random(in: 3...40, using: &rng))
            conditionsReady = false
        case .crashLoopError:
            statuses[0] = crash(reason: "Error", exitCode: 1, restarts: Int.random(in: 1...25, using: &rng))
            conditionsReady = false
        case .imagePullBackOff:
            status.phase = "Pending"
            let image = pod.spec.containers[0].image
            statuses[0] = cs(pod.spec.containers[0], state: ContainerState(waiting: .init(
                reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"")), ready: false)
            conditionsReady = false
        case .containerCreating:
            status.phase = "Pending"
            status.podIP = nil
            status.podIPs = nil
            statuses = pod.spec.containers.map { cs($0, state: ContainerState(waiting: .init(reason: "ContainerCreating")), ready: false) }
            conditionsReady = false
        case .unschedulable:
            status = PodStatus(phase: "Pending", qosClass: "Burstable")
            statuses = []
            initStatuses = []
            scheduled = false
            conditionsReady = false
            initialized = false
        case .completed, .failed:
            let ok = health == .completed
            status.phase = ok ? "Succeeded" : "Failed"
            statuses = pod.spec.containers.map {
                cs($0, state: ContainerState(terminated: .init(
                    exitCode: ok ? 0 : 1, reason: ok ? "Completed" : "Error", startedAt: started,
                    finishedAt: WireTime.seconds(created.addingTimeInterval(Double(Int.random(in: 30...900, using: &rng)))),
                    containerID: "containerd://\(rng.hex(64))")), ready: false, started: false)
            }
            initStatuses = initStatuses.map { var s = $0; if s.state.running != nil { s.state = initDone; s.ready = false; s.started = false }; return s }
            conditionsReady = false
        case .evicted:
            status.phase = "Failed"
            status.reason = "Evicted"
            status.message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91224Ki. Container \(pod.spec.containers[0].name) was using 1248Mi, request is 128Mi, has larger consumption of memory. "
            status.podIP = nil
            status.podIPs = nil
            statuses = pod.spec.containers.map { cs($0, state: ContainerState(terminated: .init(
                exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be located when the pod was terminated",
                startedAt: started, finishedAt: started)), ready: false, started: false) }
            conditionsReady = false
        case .terminating:
            break
        case .initWaiting:
            status.phase = "Pending"
            initialized = false
            conditionsReady = false
            if !initStatuses.isEmpty {
                initStatuses[0] = cs(plainInits[0], state: ContainerState(running: .init(startedAt: started)), ready: false)
                for i in 1..<initStatuses.count where i < plainInits.count {
                    initStatuses[i] = cs(plainInits[i], state: ContainerState(waiting: .init(reason: "PodInitializing")), ready: false)
                }
            }
            statuses = pod.spec.containers.map { cs($0, state: ContainerState(waiting: .init(reason: "PodInitializing")), ready: false) }
        case .initCrashLoop:
            status.phase = "Pending"
            initialized = false
            conditionsReady = false
            let finished = now.addingTimeInterval(-Double(Int.random(in: 10...300, using: &rng)))
            initStatuses[0] = cs(plainInits[0], state: ContainerState(waiting: .init(reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container")),
                                 ready: false, restarts: Int.random(in: 2...9, using: &rng),
                                 last: ContainerState(terminated: .init(exitCode: 1, reason: "Error", startedAt: WireTime.seconds(finished.addingTimeInterval(-2)),
                                                                        finishedAt: WireTime.seconds(finished))))
            statuses = pod.spec.containers.map { cs($0, state: ContainerState(waiting: .init(reason: "PodInitializing")), ready: false) }
        }
        ready = conditionsReady
        let reason = ready ? nil : "ContainersNotReady"
        let notReady = statuses.filter { !$0.ready }.map(\.name)
        let message = ready || notReady.isEmpty ? nil : "containers with unready status: [\(notReady.joined(separator: " "))]"
        status.conditions = [
            PodCondition(type: "PodReadyToStartContainers", status: scheduled && status.podIP != nil ? "True" : "False", lastTransitionTime: t),
            PodCondition(type: "Initialized", status: initialized ? "True" : "False", lastTransitionTime: t,
                         reason: initialized ? nil : "ContainersNotInitialized"),
            PodCondition(type: "Ready", status: ready ? "True" : "False", lastTransitionTime: t, reason: reason, message: message),
            PodCondition(type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: t, reason: reason, message: message),
            PodCondition(type: "PodScheduled", status: scheduled ? "True" : "False", lastTransitionTime: t,
                         reason: scheduled ? nil : "Unschedulable",
                         message: scheduled ? nil : "0/40 nodes are available: 40 Insufficient memory. preemption: 0/40 nodes are available: 40 No preemption victims found for incoming pod."),
        ]
        if !scheduled { status.conditions = status.conditions?.filter { $0.type == "PodScheduled" } }
        status.containerStatuses = statuses.isEmpty ? nil : statuses
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        pod.status = status
    }

    /// A container of a running pod exits and kubelet restarts it (or backs off): restartCount
    /// goes up and lastState records the termination, as the API does.
    func restart(container index: Int, of pod: inout Pod, reason: String, exitCode: Int, backOff: Bool, rng: inout SeededRandom) {
        guard var statuses = pod.status.containerStatuses, index < statuses.count else { return }
        var cs = statuses[index]
        let startedAt = cs.state.running?.startedAt ?? WireTime.seconds(now.addingTimeInterval(-60))
        cs.lastState = ContainerState(terminated: .init(
            exitCode: exitCode, reason: reason, startedAt: startedAt, finishedAt: WireTime.seconds(now),
            containerID: cs.containerID))
        cs.restartCount += 1
        cs.containerID = "containerd://\(rng.hex(64))"
        if backOff {
            cs.state = ContainerState(waiting: .init(reason: "CrashLoopBackOff",
                message: "back-off 10s restarting failed container=\(cs.name) pod=\(pod.metadata.name)_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid))"))
            cs.ready = false
            cs.started = false
        } else {
            cs.state = ContainerState(running: .init(startedAt: WireTime.seconds(now)))
            cs.ready = true
            cs.started = true
        }
        statuses[index] = cs
        pod.status.containerStatuses = statuses
        pod.status.phase = "Running"
        let allReady = statuses.allSatisfy(\.ready)
        pod.status.conditions = pod.status.conditions?.map { c in
            guard c.type == "Ready" || c.type == "ContainersReady" else { return c }
            var c = c
            c.status = allReady ? "True" : "False"
            c.reason = allReady ? nil : "ContainersNotReady"
            c.message = allReady ? nil : "containers with unready status: [\(statuses.filter { !$0.ready }.map(\.name).joined(separator: " "))]"
            c.lastTransitionTime = WireTime.seconds(now)
            return c
        }
    }
}
