/// A pod's log as batches of lines (one batch per received chunk, so 20,000 lines/s cost
/// a few hundred wakeups, not 20,000). Ends when the server ends the body: for `follow`,
/// when the followed container instance stops. Call `cancel()` to stop reading early.
public struct LogStream: AsyncSequence, Sendable {
    public typealias Element = [LogLine]
    let body: ResponseBody?
    let timestamps: Bool

    public struct AsyncIterator: AsyncIteratorProtocol {
        var body: ResponseBody.AsyncIterator?
        var decoder: LogLineDecoder
        var done = false

        public mutating func next() async throws -> [LogLine]? {
            while !done {
                guard var it = body else { return nil }
                let chunk: [UInt8]?
                do {
                    chunk = try await it.next()
                } catch let e as TransportError {
                    done = true
                    throw KubeClientError.transport(e)
                }
                body = it
                guard let chunk else {
                    done = true
                    let tail = decoder.finish()
                    return tail.isEmpty ? nil : tail
                }
                let lines = decoder.feed(chunk)
                if !lines.isEmpty { return lines }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: body?.makeAsyncIterator(), decoder: LogLineDecoder(timestamps: timestamps))
    }

    public func cancel() { body?.cancel() }
}

extension KubeClient {
    /// Opens a pod's log. Errors come as the server's Status (`KubeClientError.status`),
    /// whose message is worth showing verbatim ("a container name must be specified …",
    /// "… is waiting to start: ContainerCreating"). An unscheduled pod answers 204: an
    /// empty stream.
    public func logs(namespace: String, pod: String, options: LogOptions) async throws -> LogStream {
        let path = "/api/v1/namespaces/\(APICollection.escape(namespace))/pods/\(APICollection.escape(pod))/log"
        // Following: a quiet container sends nothing for long, so only a generous idle limit.
        let response = try await send(path: path, query: options.queryItems, accept: "*/*",
                                      idleTimeout: options.follow ? nil : .seconds(60))
        if response.status == 204 {
            response.body.cancel()
            return LogStream(body: nil, timestamps: options.timestamps)
        }
        return LogStream(body: response.body, timestamps: options.timestamps)
    }
}
