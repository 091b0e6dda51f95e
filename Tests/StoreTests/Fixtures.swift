import Foundation
import Informer
import Testing
@testable import Store

/// A folder under the system temp dir, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kubeluma-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A container status in a pod fixture.
struct ContainerFixture {
    var name = "app"
    var restartCount = 0
    var ready = true
    /// `state` as JSON, e.g. `["running": ["startedAt": "…"]]`.
    var state: [String: Any] = ["running": ["startedAt": "2027-01-15T08:00:00Z"]]
    var lastState: [String: Any] = [:]

    static func terminated(reason: String, exitCode: Int, id: String, finished: String = "2027-01-15T08:05:00Z",
                           signal: Int? = nil) -> [String: Any] {
        var terminated: [String: Any] = ["reason": reason, "exitCode": exitCode, "containerID": id,
                                         "startedAt": "2027-01-15T08:00:00Z", "finishedAt": finished]
        if let signal { terminated["signal"] = signal }
        return ["terminated": terminated]
    }
}

enum Fixture {
    static func podJSON(namespace: String = "default", name: String, uid: String? = nil, rv: String = "1",
                        phase: String = "Running", node: String? = "node-1",
                        containers: [ContainerFixture] = [ContainerFixture()]) -> [UInt8] {
        var status: [String: Any] = [
            "phase": phase, "podIP": "10.0.0.1", "podIPs": [["ip": "10.0.0.1"]], "hostIP": "192.168.0.1",
            "containerStatuses": containers.map { c -> [String: Any] in
                ["name": c.name, "ready": c.ready, "restartCount": c.restartCount, "image": "img",
                 "imageID": "sha", "state": c.state, "lastState": c.lastState]
            },
        ]
        status["conditions"] = [["type": "Ready", "status": containers.allSatisfy(\.ready) ? "True" : "False"]]
        var spec: [String: Any] = ["containers": containers.map { ["name": $0.name, "image": "img"] }]
        if let node { spec["nodeName"] = node }
        let object: [String: Any] = [
            "kind": "Pod", "apiVersion": "v1",
            "metadata": ["namespace": namespace, "name": name, "uid": uid ?? "uid-\(namespace)-\(name)",
                         "resourceVersion": rv, "creationTimestamp": "2027-01-15T07:00:00Z"],
            "spec": spec, "status": status,
        ]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func pod(namespace: String = "default", name: String, uid: String? = nil, rv: String = "1",
                    phase: String = "Running", containers: [ContainerFixture] = [ContainerFixture()]) -> KubeObject {
        let json = podJSON(namespace: namespace, name: name, uid: uid, rv: rv, phase: phase, containers: containers)
        let pod = try! KubeJSON.makeDecoder().decode(Pod.self, from: Data(json))
        return .pod(pod, json: json)
    }

    static func event(uid: String, namespace: String = "default", pod: String, podUID: String? = nil,
                      reason: String = "BackOff", message: String = "Back-off restarting failed container",
                      type: String = "Warning", count: Int = 1, last: String = "2027-01-15T08:10:00Z",
                      rv: String = "1") -> KubeObject {
        let object: [String: Any] = [
            "kind": "Event", "apiVersion": "v1",
            "metadata": ["namespace": namespace, "name": "\(pod).\(uid)", "uid": uid, "resourceVersion": rv],
            "involvedObject": ["kind": "Pod", "namespace": namespace, "name": pod,
                               "uid": podUID ?? "uid-\(namespace)-\(pod)", "fieldPath": "spec.containers{app}"],
            "reason": reason, "message": "  \(message) ", "type": type, "count": count,
            "firstTimestamp": "2027-01-15T08:00:00Z", "lastTimestamp": last,
            "source": ["component": "kubelet", "host": "node-1"],
        ]
        let json = Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        let event = try! KubeJSON.makeDecoder().decode(Event.self, from: Data(json))
        return .event(event, json: json)
    }

    static let allPods = InformerID(resource: .pods, namespace: nil)
    static let allEvents = InformerID(resource: .events, namespace: nil)
}

/// Where a contract test's cache lives: the store must keep the same promises in a file and in
/// memory (`--db :memory:`).
enum Storage: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case file, memory
    var testDescription: String { rawValue }
}

extension ClusterCache {
    /// Opens a cache in `directory` (or in memory) with a test clock.
    static func openForTest(_ directory: TemporaryDirectory, name: String = "cache.sqlite", storage: Storage = .file,
                            clock: TestClock = TestClock(),
                            configure: (inout CacheConfiguration) -> Void = { _ in }) throws -> ClusterCache {
        var configuration = CacheConfiguration(path: storage == .memory ? CacheConfiguration.inMemory : directory.path(name))
        configuration.now = { clock.now }
        configure(&configuration)
        return try ClusterCache.open(configuration)
    }

    func names() -> [String] { index.snapshot().allPods.map(\.key.description) }
}
