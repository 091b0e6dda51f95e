import Foundation

/// `metrics.k8s.io/v1beta1` PodMetrics as served (KUBERNETES-API.md §6.1).
public struct PodMetrics: Decodable, Sendable, Equatable {
    public var metadata: ObjectMeta?
    public var timestamp: Date?
    /// A Go duration string such as `15.021s`.
    public var window: String?
    public var containers: [ContainerMetrics]?
}

public struct ContainerMetrics: Decodable, Sendable, Equatable {
    public var name: String
    /// Quantity strings by resource (`cpu`, `memory`).
    public var usage: [String: String]?
}

/// A pod's usage in the units the UI shows: millicores and bytes (and whole MiB as
/// `kubectl top` prints them).
public struct PodUsage: Sendable, Equatable {
    public struct Container: Sendable, Equatable {
        public var name: String
        public var milliCPU: Int64?
        public var memoryBytes: Int64?
        public var memoryMiB: Int64? { memoryBytes.map { $0 / 1_048_576 } }
    }
    public var timestamp: Date?
    public var window: String?
    /// Only containers with a sample; join to the spec by name.
    public var containers: [Container]
    public var totalMilliCPU: Int64 { containers.reduce(0) { $0 + ($1.milliCPU ?? 0) } }
    public var totalMemoryBytes: Int64 { containers.reduce(0) { $0 + ($1.memoryBytes ?? 0) } }
    public var totalMemoryMiB: Int64 { totalMemoryBytes / 1_048_576 }

    public init(_ metrics: PodMetrics) {
        timestamp = metrics.timestamp
        window = metrics.window
        containers = (metrics.containers ?? []).map { c in
            Container(name: c.name, milliCPU: c.usage?["cpu"].flatMap(Quantity.parse)?.milliValue,
                      memoryBytes: c.usage?["memory"].flatMap(Quantity.parse)?.value)
        }
    }
}

/// The answer for the metrics panel: usage, or why there is none.
public enum MetricsReading: Sendable, Equatable {
    case usage(PodUsage)
    /// No metrics API (404 page not found), backend down (503), or no sample yet (404 Status).
    /// The UI shows "metrics unavailable", not an error.
    case unavailable(String)
}

extension KubeClient {
    /// Reads one pod's metrics. 404 and 503 (with or without a Status body) are
    /// `.unavailable`; other failures throw.
    public func podMetrics(namespace: String, name: String) async throws -> MetricsReading {
        let path = "/apis/metrics.k8s.io/v1beta1/namespaces/\(APICollection.escape(namespace))/pods/\(APICollection.escape(name))"
        do {
            let body = try await get(path: path)
            let metrics = try KubeJSON.makeDecoder().decode(PodMetrics.self, from: Data(body))
            return .usage(PodUsage(metrics))
        } catch let error as KubeClientError {
            if let code = error.statusCode, code == 404 || code == 503 { return .unavailable(error.description) }
            throw error
        } catch is DecodingError {
            throw KubeClientError.decoding("PodMetrics of \(namespace)/\(name) could not be decoded")
        }
    }
}
