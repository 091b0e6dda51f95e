import Foundation
import Testing
@testable import Informer

/// printPod rules that the captures do not cover (KUBERNETES-API.md §9 items 45–52).
@Suite struct PodSummaryRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func pod(phase: String = "Running", reason: String? = nil, containers: [String] = ["app"],
             initContainers: [Container] = [], statuses: [ContainerStatus] = [],
             initStatuses: [ContainerStatus] = [], conditions: [PodCondition] = [],
             deleting: Bool = false) -> Pod {
        var meta = ObjectMeta(name: "p", namespace: "ns", uid: "u")
        if deleting { meta.deletionTimestamp = t0 }
        return Pod(metadata: meta,
                   spec: PodSpec(containers: containers.map { Container(name: $0) }, initContainers: initContainers),
                   status: PodStatus(phase: phase, reason: reason, conditions: conditions,
                                     containerStatuses: statuses, initContainerStatuses: initStatuses))
    }

    func running(_ name: String, ready: Bool = true, restarts: Int = 0) -> ContainerStatus {
        ContainerStatus(name: name, ready: ready, started: true, restartCount: restarts,
                        state: ContainerState(running: ContainerStateRunning()))
    }

    func terminated(_ name: String, exit: Int, reason: String? = nil, signal: Int? = nil) -> ContainerStatus {
        ContainerStatus(name: name, ready: false, restartCount: 0,
                        state: ContainerState(terminated: ContainerStateTerminated(exitCode: exit, signal: signal, reason: reason)))
    }

    func waiting(_ name: String, _ reason: String, restarts: Int = 0) -> ContainerStatus {
        ContainerStatus(name: name, ready: false, restartCount: restarts,
                        state: ContainerState(waiting: ContainerStateWaiting(reason: reason)))
    }

    @Test func initProgressShowsIndexOfFirstUnfinishedInitContainer() {
        let p = pod(phase: "Pending", initContainers: [Container(name: "a"), Container(name: "b")],
                    initStatuses: [terminated("a", exit: 0, reason: "Completed"), running("b", ready: false)])
        #expect(PodSummary(pod: p).status == "Init:1/2")
    }

    @Test func initContainerWithoutReasonShowsExitCodeOrSignal() {
        let a = pod(phase: "Pending", initContainers: [Container(name: "a")], initStatuses: [terminated("a", exit: 3)])
        #expect(PodSummary(pod: a).status == "Init:ExitCode:3")
        let b = pod(phase: "Pending", initContainers: [Container(name: "a")], initStatuses: [terminated("a", exit: 137, signal: 9)])
        #expect(PodSummary(pod: b).status == "Init:Signal:9")
    }

    @Test func firstContainerReasonWinsOverLaterOnes() {
        let p = pod(containers: ["a", "b"], statuses: [waiting("a", "CrashLoopBackOff"), running("b")])
        let s = PodSummary(pod: p)
        #expect(s.status == "CrashLoopBackOff")
        #expect(s.readyText == "1/2")
    }

    @Test func completedContainerBesideRunningOneShowsRunningOrNotReady() {
        let ready = pod(containers: ["a", "b"], statuses: [terminated("a", exit: 0, reason: "Completed"), running("b")],
                        conditions: [PodCondition(type: "Ready", status: "True")])
        #expect(PodSummary(pod: ready).status == "Running")
        let notReady = pod(containers: ["a", "b"], statuses: [terminated("a", exit: 0, reason: "Completed"), running("b")],
                           conditions: [PodCondition(type: "Ready", status: "False")])
        #expect(PodSummary(pod: notReady).status == "NotReady")
    }

    @Test func terminatingOverridesCrashLoopButNotFinishedPods() {
        #expect(PodSummary(pod: pod(statuses: [waiting("app", "CrashLoopBackOff")], deleting: true)).status == "Terminating")
        #expect(PodSummary(pod: pod(phase: "Succeeded", statuses: [terminated("app", exit: 0, reason: "Completed")], deleting: true)).status == "Completed")
        #expect(PodSummary(pod: pod(phase: "Failed", statuses: [terminated("app", exit: 1, reason: "Error")], deleting: true)).status == "Error")
    }

    @Test func plainInitRestartsAreDroppedOnceInitialisedButSidecarRestartsStay() {
        var initRestarted = waiting("init", "x", restarts: 3)
        initRestarted.state = ContainerState(terminated: ContainerStateTerminated(exitCode: 0, reason: "Completed"))
        var sidecar = running("side", restarts: 2)
        sidecar.lastState = ContainerState(terminated: ContainerStateTerminated(exitCode: 1, finishedAt: t0))
        let p = pod(initContainers: [Container(name: "init"), Container(name: "side", restartPolicy: "Always")],
                    statuses: [running("app", restarts: 1)], initStatuses: [initRestarted, sidecar],
                    conditions: [PodCondition(type: "Initialized", status: "True")])
        let s = PodSummary(pod: p)
        #expect(s.restarts == 3)
        #expect(s.readyText == "2/2")
        #expect(s.restartsText(now: t0.addingTimeInterval(133)) == "3 (2m13s ago)")
    }

    @Test func ephemeralContainersCountNowhere() {
        var p = pod(statuses: [running("app")])
        p.spec?.ephemeralContainers = [Container(name: "debug")]
        p.status?.ephemeralContainerStatuses = [waiting("debug", "ErrImagePull", restarts: 7)]
        let s = PodSummary(pod: p)
        #expect(s.status == "Running")
        #expect(s.readyText == "1/1")
        #expect(s.restarts == 0)
    }

    @Test func missingPhaseGivesEmptyStatusWithoutCrashing() {
        let p = Pod(metadata: ObjectMeta(name: "x"))
        let s = PodSummary(pod: p)
        #expect(s.status == "")
        #expect(s.readyText == "0/0")
    }
}
