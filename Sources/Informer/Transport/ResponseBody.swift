/// The body of a response as an async sequence of byte chunks.
///
/// Backpressure: while the consumer is behind by more than the high-water mark the
/// transfer is paused in libcurl (nothing more is read from the socket) and resumed when it
/// catches up, so a slow consumer never grows memory without bound.
///
/// Stop reading early with `cancel()`: merely dropping the iterator does not end a
/// long-lived transfer such as a watch.
public struct ResponseBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let transfer: CurlTransfer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let transfer: CurlTransfer
        public mutating func next() async throws -> [UInt8]? {
            try await transfer.nextChunk()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(transfer: transfer) }

    /// Ends the transfer now; a pending or later `next()` returns nil.
    public func cancel() { transfer.cancel() }

    /// Reads the whole body (for LIST pages, errors and small GETs).
    /// Throws when it exceeds `maxBytes`.
    public func collect(maxBytes: Int = 512 << 20) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await chunk in self {
            if out.count + chunk.count > maxBytes {
                cancel()
                throw TransportError(kind: .other, message: "response larger than \(maxBytes) bytes")
            }
            out.append(contentsOf: chunk)
        }
        return out
    }
}

/// A response whose head has arrived; the body streams.
public struct HTTPResponse: Sendable {
    public var head: ResponseHead
    public var body: ResponseBody
    public var status: Int { head.status }
}
