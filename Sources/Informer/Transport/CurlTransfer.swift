import CCurl
import Foundation

/// One transfer: its easy handle (touched only on the transport's thread) and the buffer
/// between libcurl's callbacks and the async consumer (guarded by `lock`).
final class CurlTransfer: @unchecked Sendable {
    // Set on the transport thread only.
    var easy: UnsafeMutableRawPointer?
    var errorBuffer: UnsafeMutablePointer<CChar>?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var connectTo: UnsafeMutablePointer<curl_slist>?
    /// The proxy the request goes through, without credentials, to name in connection errors.
    var proxyForErrors: String?
    var paused = false

    private let lock = NSLock()
    private var chunks: [[UInt8]] = []
    private var chunkHead = 0
    private var bufferedBytes = 0
    private var finished: Result<Void, TransportError>?
    private var cancelled = false
    private var unpauseRequested = false
    private var chunkWaiter: CheckedContinuation<[UInt8]?, any Error>?
    private var headWaiter: CheckedContinuation<ResponseHead, any Error>?
    private var head: ResponseHead?
    // Transport thread only.
    var headDelivered = false
    private var pendingHeaders: [String: String] = [:]

    weak var transport: CurlTransport?
    let highWater: Int
    let lowWater: Int

    init(transport: CurlTransport, highWater: Int = 4 << 20) {
        self.transport = transport
        self.highWater = highWater
        self.lowWater = highWater / 4
    }

    // MARK: Consumer side (any task)

    func awaitHead() async throws -> ResponseHead {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<ResponseHead, any Error>) in
                lock.lock()
                if let head {
                    lock.unlock()
                    c.resume(returning: head)
                } else if case .failure(let e)? = finished {
                    lock.unlock()
                    c.resume(throwing: e)
                } else if cancelled {
                    lock.unlock()
                    c.resume(throwing: CancellationError())
                } else {
                    headWaiter = c
                    lock.unlock()
                }
            }
        } onCancel: {
            self.cancel()
        }
    }

    func nextChunk() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<[UInt8]?, any Error>) in
                lock.lock()
                if let chunk = popLocked() {
                    let unpause = takeUnpauseLocked()
                    lock.unlock()
                    if unpause { transport?.requestUnpause(self) }
                    c.resume(returning: chunk)
                    return
                }
                if cancelled {
                    lock.unlock()
                    c.resume(returning: nil)
                    return
                }
                switch finished {
                case .success?:
                    lock.unlock()
                    c.resume(returning: nil)
                case .failure(let e)?:
                    lock.unlock()
                    c.resume(throwing: e)
                case nil:
                    chunkWaiter = c
                    let unpause = takeUnpauseLocked()
                    lock.unlock()
                    if unpause { transport?.requestUnpause(self) }
                }
            }
        } onCancel: {
            self.cancel()
        }
    }

    /// Stops the transfer; waiters get nil / CancellationError. Safe from any thread, idempotent.
    func cancel() {
        lock.lock()
        if cancelled || finished != nil {
            cancelled = true
            let w = chunkWaiter
            chunkWaiter = nil
            lock.unlock()
            w?.resume(returning: nil)
            return
        }
        cancelled = true
        let w = chunkWaiter, h = headWaiter
        chunkWaiter = nil
        headWaiter = nil
        lock.unlock()
        w?.resume(returning: nil)
        h?.resume(throwing: CancellationError())
        transport?.requestRemoval(self)
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Everything buffered, as one chunk (up to `highWater` bytes). A consumer that fell behind
    /// catches up in one step: a watch reader then decodes and stores the backlog as one batch
    /// instead of one small batch per network read.
    private func popLocked() -> [UInt8]? {
        guard chunkHead < chunks.count else { return nil }
        var out = chunks[chunkHead]
        chunkHead += 1
        if chunkHead < chunks.count {
            out.reserveCapacity(min(bufferedBytes, highWater))
            while chunkHead < chunks.count, out.count + chunks[chunkHead].count <= highWater {
                out.append(contentsOf: chunks[chunkHead])
                chunkHead += 1
            }
        }
        if chunkHead == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            chunkHead = 0
        } else if chunkHead > 64 && chunkHead * 2 > chunks.count {
            chunks.removeFirst(chunkHead)
            chunkHead = 0
        }
        bufferedBytes -= out.count
        return out
    }

    private func takeUnpauseLocked() -> Bool {
        if unpauseRequested && bufferedBytes <= lowWater {
            unpauseRequested = false
            return true
        }
        return false
    }

    // MARK: libcurl side (transport thread)

    /// A header line from libcurl. A new status line starts a new header block (proxy
    /// CONNECT and 1xx responses come before the real one).
    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            pendingHeaders = [:]
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        pendingHeaders[name] = value
    }

    /// Body bytes from libcurl. Returns false when the consumer is too far behind: the
    /// caller then tells libcurl to pause and to hand the same bytes again later.
    func receiveBody(_ bytes: UnsafeRawBufferPointer, status: Int) -> Bool {
        deliverHead(status: status)
        lock.lock()
        if cancelled {
            lock.unlock()
            return true
        }
        if bufferedBytes >= highWater {
            unpauseRequested = true
            lock.unlock()
            return false
        }
        let chunk = [UInt8](bytes)
        if let w = chunkWaiter {
            chunkWaiter = nil
            lock.unlock()
            w.resume(returning: chunk)
            return true
        }
        chunks.append(chunk)
        bufferedBytes += chunk.count
        lock.unlock()
        return true
    }

    func deliverHead(status: Int) {
        guard !headDelivered else { return }
        headDelivered = true
        let h = ResponseHead(status: status, headers: pendingHeaders)
        lock.lock()
        head = h
        let w = headWaiter
        headWaiter = nil
        lock.unlock()
        w?.resume(returning: h)
    }

    /// The transfer is over (done, failed, or removed after cancel).
    func complete(_ result: Result<Void, TransportError>, status: Int) {
        if case .success = result { deliverHead(status: status) }
        lock.lock()
        if finished == nil { finished = result }
        let w = chunkWaiter, h = headWaiter
        chunkWaiter = nil
        headWaiter = nil
        let wasCancelled = cancelled
        let hasData = chunkHead < chunks.count
        lock.unlock()
        if let h {
            switch result {
            case .success: h.resume(throwing: TransportError(kind: .other, message: "no response"))
            case .failure(let e): h.resume(throwing: wasCancelled ? CancellationError() : e)
            }
        }
        if let w {
            // A waiter exists only when the buffer was empty.
            switch result {
            case .success: w.resume(returning: nil)
            case .failure(let e): if wasCancelled { w.resume(returning: nil) } else { w.resume(throwing: e) }
            }
        }
        _ = hasData
    }
}
