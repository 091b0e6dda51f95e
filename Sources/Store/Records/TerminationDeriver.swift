import Foundation
import Informer

/// What the store last knew about one container of a pod.
struct ContainerMemory: Sendable, Equatable {
    var restartCount: Int
    /// The container was in `state.terminated` (already recorded) when last seen, so its next
    /// restart's `lastState` is not a new termination.
    var terminatedSeen: Bool
}

/// One container run that ended, as observed in a pod status.
struct TerminationObservation: Sendable, Equatable {
    var container: String
    /// Identifies the run, so seeing it again (first in `state`, then in `lastState`) is a no-op.
    var dedupKey: String
    var restartCount: Int
    var reason: String?
    var exitCode: Int
    var signal: Int?
    var startedAt: Date?
    var finishedAt: Date?
    /// Terminations that happened before this one without being observed.
    var unobservedBefore: Int
}

/// Derives container terminations from successive pod statuses.
///
/// The API keeps only the latest termination per container (`lastState.terminated`), and only
/// until the next one. Comparing each status with what was known before recovers every
/// termination seen, and counts those missed while disconnected from `restartCount` jumps.
enum TerminationDeriver {
    static func derive(containers: [ContainerStatus], previous: [String: ContainerMemory])
        -> (terminations: [TerminationObservation], memory: [String: ContainerMemory]) {
        var found: [TerminationObservation] = []
        var memory: [String: ContainerMemory] = [:]
        for status in containers {
            let restarts = status.restartCount ?? 0
            let before = previous[status.name]
            if let last = status.lastState?.terminated {
                // Restarts since last seen, less the one `last` is and the one already recorded
                // from `state.terminated`. Never seen before: every earlier restart was missed.
                let missed: Int
                if let before {
                    missed = restarts - before.restartCount - 1 - (before.terminatedSeen ? 1 : 0)
                } else {
                    missed = restarts - 1
                }
                found.append(observation(status.name, last, restarts: restarts, unobserved: max(0, missed)))
            }
            if let current = status.state?.terminated {
                found.append(observation(status.name, current, restarts: restarts, unobserved: 0))
            }
            memory[status.name] = ContainerMemory(restartCount: restarts, terminatedSeen: status.state?.terminated != nil)
        }
        return (found, memory)
    }

    private static func observation(_ container: String, _ state: ContainerStateTerminated, restarts: Int,
                                    unobserved: Int) -> TerminationObservation {
        TerminationObservation(container: container, dedupKey: dedupKey(state), restartCount: restarts,
                               reason: state.reason.flatMap { $0.isEmpty ? nil : $0 }, exitCode: state.exitCode,
                               signal: state.signal, startedAt: state.startedAt, finishedAt: state.finishedAt,
                               unobservedBefore: unobserved)
    }

    /// The runtime's container id names a run exactly; without one, its times and exit code do.
    static func dedupKey(_ state: ContainerStateTerminated) -> String {
        if let id = state.containerID, !id.isEmpty { return "id:\(id)" }
        let started = state.startedAt.map { String($0.timeIntervalSince1970) } ?? "-"
        let finished = state.finishedAt.map { String($0.timeIntervalSince1970) } ?? "-"
        return "t:\(started)|\(finished)|\(state.exitCode)"
    }
}
