import Foundation
import Synchronization

/// Every request the simulator received, so tests can assert exactly what a client asked for
/// (and that it only read).
public struct RecordedRequest: Sendable, Codable, Equatable {
    public var method: String
    public var path: String
    /// Query parameters in the order sent.
    public var query: [Query]
    public var accept: String?
    public var hadCredentials: Bool

    public struct Query: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
    }

    public func parameter(_ name: String) -> String? { query.first { $0.name == name }?.value }
    public var isWatch: Bool { parameter("watch").map { $0 != "false" && $0 != "0" } ?? false }
}

final class RequestLog: Sendable {
    private let entries = Mutex<[RecordedRequest]>([])
    private static let limit = 200_000

    func record(_ request: RecordedRequest) {
        entries.withLock { e in
            if e.count >= Self.limit { e.removeFirst(e.count / 2) }
            e.append(request)
        }
    }

    var all: [RecordedRequest] { entries.withLock { $0 } }
    func clear() { entries.withLock { $0.removeAll() } }
}
