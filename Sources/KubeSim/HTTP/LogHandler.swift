import Foundation
import Hummingbird
import NIOCore

/// `GET …/pods/{name}/log`: container selection and the kubelet's error messages
/// (KUBERNETES-API.md §5), history with tailLines/sinceSeconds/sinceTime/limitBytes, and
/// `follow`, which streams new lines and ends when the followed container instance ends.
struct LogHandler {
    let cluster: Cluster
    let linesPerSecond: Double

    struct Instance {
        var generator: LogGenerator
        /// The last line index this instance wrote, if it has ended.
        var endLine: Int?
        var containerID: String?
    }

    /// - Parameter connectionOpen: whether the client is still there. A followed stream with no
    ///   new lines writes nothing, so it would not otherwise notice the client is gone.
    func respond(key: ObjectKey, options: QueryOptions, connectionOpen: @escaping @Sendable () -> Bool = { true }) throws -> Response {
        guard let pod = cluster.pod(key) else { throw Status.notFound("pods", key.name) }
        let raw = options.raw
        if raw["sinceSeconds"] != nil && raw["sinceTime"] != nil {
            throw Status(message: "PodLogOptions \"\(key.name)\" is invalid: sinceSeconds: Forbidden: at most one of sinceTime or sinceSeconds may be specified",
                         reason: "Invalid", details: .init(name: key.name, kind: "PodLogOptions"), code: 422)
        }
        let containerName = try container(of: pod, requested: raw["container"])
        guard pod.spec.nodeName != nil else {
            // The real server answers an unscheduled pod's log with an empty 204.
            return Response(status: .noContent)
        }
        let previous = raw["previous"].map { $0 != "false" && $0 != "0" } ?? false
        let follow = raw["follow"].map { $0 != "false" && $0 != "0" } ?? false
        let timestamps = raw["timestamps"].map { $0 != "false" && $0 != "0" } ?? false
        let status = ((pod.status.containerStatuses ?? []) + (pod.status.initContainerStatuses ?? [])).first { $0.name == containerName }
        let instance = try self.instance(pod: pod, container: containerName, status: status, previous: previous)

        let now = cluster.now()
        let end = instance.endLine.map { $0 + 1 } ?? instance.generator.count(at: now)
        var first = max(0, end - LogGenerator.retainedLines)
        if let s = raw["sinceSeconds"].flatMap(Int.init) {
            first = max(first, instance.generator.firstLine(atOrAfter: now.addingTimeInterval(-Double(s))))
        }
        if let t = raw["sinceTime"].flatMap(WireTime.parse) {
            // Second precision on the way to the kubelet: lines in that second come again.
            first = max(first, instance.generator.firstLine(atOrAfter: Date(timeIntervalSince1970: t.timeIntervalSince1970.rounded(.down))))
        }
        if let tail = raw["tailLines"].flatMap(Int.init), tail >= 0 { first = max(first, end - tail) }
        let limitBytes = raw["limitBytes"].flatMap(Int.init)
        let startLine = first
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        let generator = instance.generator
        let followed = follow && instance.endLine == nil
        let podUID = pod.metadata.uid
        let containerID = instance.containerID
        let cluster = self.cluster
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var sent = 0
            func render(_ index: Int) -> [UInt8] {
                let text = generator.line(index, container: containerName)
                let prefix = timestamps ? WireTime.nano(generator.time(ofLine: index)) + " " : ""
                return Array((prefix + text + "\n").utf8)
            }
            // Writes lines [from, to) in chunks; false once limitBytes is reached.
            func write(_ from: Int, _ to: Int, _ writer: inout any ResponseBodyWriter) async throws -> Bool {
                var chunk: [UInt8] = []
                var index = from
                while index < to {
                    var line = render(index)
                    if let limitBytes, sent + line.count > limitBytes {
                        line = Array(line.prefix(limitBytes - sent))
                        chunk += line
                        try await writer.write(ByteBuffer(bytes: chunk))
                        return false
                    }
                    sent += line.count
                    chunk += line
                    index += 1
                    if chunk.count >= 64 * 1024 {
                        try await writer.write(ByteBuffer(bytes: chunk))
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty { try await writer.write(ByteBuffer(bytes: chunk)) }
                return true
            }
            var next = startLine
            guard try await write(next, end, &writer) else { try await writer.finish(nil); return }
            next = end
            while followed && !Task.isCancelled && connectionOpen() {
                // Sleep until the next line is due (at most a second, to notice restarts).
                let due = generator.time(ofLine: next).timeIntervalSince(cluster.now())
                if due > 0 { try await Task.sleep(for: .milliseconds(Int(min(due, 1) * 1000) + 1)) }
                guard let current = cluster.pod(ObjectKey(namespace: key.namespace, name: key.name)),
                      current.metadata.uid == podUID,
                      let cs = ((current.status.containerStatuses ?? []) + (current.status.initContainerStatuses ?? [])).first(where: { $0.name == containerName }),
                      cs.containerID == containerID, cs.state.running != nil
                else { break }  // the followed instance ended: the stream ends cleanly
                let upTo = generator.count(at: cluster.now())
                if upTo > next {
                    guard try await write(next, upTo, &writer) else { break }
                    next = upTo
                }
            }
            try await writer.finish(nil)
        })
    }

    /// `container` is required when the pod has more than one; unknown names are refused.
    private func container(of pod: Pod, requested: String?) throws(Status) -> String {
        let names = pod.spec.containers.map(\.name)
        let initNames = (pod.spec.initContainers ?? []).map(\.name)
        guard let requested, !requested.isEmpty else {
            if names.count == 1 { return names[0] }
            var message = "a container name must be specified for pod \(pod.metadata.name), choose one of: [\(names.joined(separator: " "))]"
            if !initNames.isEmpty { message += " or one of the init containers: [\(initNames.joined(separator: " "))]" }
            throw Status.badRequest(message)
        }
        guard names.contains(requested) || initNames.contains(requested) else {
            throw Status.badRequest("container \(requested) is not valid for pod \(pod.metadata.name)")
        }
        return requested
    }

    /// Which container instance's output the request reads, or the kubelet's refusal.
    private func instance(pod: Pod, container: String, status: ContainerStatus?, previous: Bool) throws(Status) -> Instance {
        let podRef = "container \"\(container)\" in pod \"\(pod.metadata.name)\""
        guard let status else { throw Status.badRequest("\(podRef) is waiting to start: ContainerCreating") }
        func generator(restart: Int, start: String?) -> LogGenerator {
            LogGenerator(instance: "\(pod.metadata.uid)/\(container)/\(restart)",
                         start: start.flatMap(WireTime.parse) ?? cluster.now(), rate: linesPerSecond)
        }
        func ended(_ t: ContainerState.Terminated, restart: Int) -> Instance {
            let g = generator(restart: restart, start: t.startedAt)
            let last = WireTime.parse(t.finishedAt).map { g.count(at: $0) - 1 } ?? 0
            return Instance(generator: g, endLine: max(0, last), containerID: t.containerID)
        }
        if previous {
            guard let last = status.lastState.terminated else {
                throw Status.badRequest("previous terminated container \"\(container)\" in pod \"\(pod.metadata.name)\" not found")
            }
            return ended(last, restart: max(0, status.restartCount - 1))
        }
        if let running = status.state.running {
            return Instance(generator: generator(restart: status.restartCount, start: running.startedAt), endLine: nil,
                            containerID: status.containerID)
        }
        if let terminated = status.state.terminated { return ended(terminated, restart: status.restartCount) }
        // Waiting: in a crash loop the kubelet serves the last instance's output.
        if let last = status.lastState.terminated { return ended(last, restart: max(0, status.restartCount - 1)) }
        let reason = status.state.waiting?.reason ?? "ContainerCreating"
        switch reason {
        case "ImagePullBackOff", "ErrImagePull": throw Status.badRequest("\(podRef) is waiting to start: trying and failing to pull image")
        default: throw Status.badRequest("\(podRef) is waiting to start: \(reason)")
        }
    }
}
