import CCurl
import Foundation
import Logging

/// Moves bytes over HTTP(S) with libcurl. One thread owns a curl multi handle and drives
/// every transfer (watches, log follows, lists) on it, so 200 concurrent streams cost one
/// thread, not 200. Other threads talk to it only through a command queue and
/// `curl_multi_wakeup`, the one curl call that is safe from any thread.
///
/// Non-2xx responses are responses, not errors: the caller reads `status` and the body.
/// Transport failures (refused, TLS, reset, idle timeout) throw `TransportError`.
public final class CurlTransport: @unchecked Sendable {
    enum Command {
        case add(CurlTransfer, HTTPRequest)
        case remove(CurlTransfer)
        case unpause(CurlTransfer)
        case stop
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var commands: [Command] = []
    // Transport thread only:
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var stopping = false
    private let logger: Logger

    /// Process-wide setup that libcurl requires before any other thread uses it. SIGPIPE is
    /// ignored because CURLOPT_NOSIGNAL stops curl from doing so itself, and a peer closing
    /// a TLS connection must not kill the process.
    private static let globalInit: Void = {
        _ = kubeluma_curl_global_init()
        signal(SIGPIPE, SIG_IGN)
    }()

    public init(logger: Logger = Logger(label: "kubeluma.transport")) {
        _ = CurlTransport.globalInit
        multi = curl_multi_init()
        self.logger = logger
        let thread = Thread { [self] in self.run() }
        thread.name = "kubeluma-curl"
        thread.start()
    }

    /// Starts a request and returns once the response head has arrived.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = CurlTransfer(transport: self)
        post(.add(transfer, request))
        do {
            let head = try await transfer.awaitHead()
            return HTTPResponse(head: head, body: ResponseBody(transfer: transfer))
        } catch {
            transfer.cancel()
            throw error
        }
    }

    /// Number of transfers currently on the multi handle (for tests and health).
    public var activeTransferCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return activeCount
    }
    private var activeCount = 0

    /// Cancels every transfer and ends the thread.
    public func shutdown() { post(.stop) }

    func requestRemoval(_ t: CurlTransfer) { post(.remove(t)) }
    func requestUnpause(_ t: CurlTransfer) { post(.unpause(t)) }

    private func post(_ c: Command) {
        lock.lock()
        commands.append(c)
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    // MARK: The transport thread

    private func run() {
        var running: Int32 = 0
        while true {
            lock.lock()
            let pending = commands
            commands.removeAll(keepingCapacity: true)
            lock.unlock()
            for c in pending { handle(c) }
            if stopping && active.isEmpty { break }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
                finish(easy, code: msg.pointee.data.result)
            }
            var fds: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &fds)
        }
        curl_multi_cleanup(multi)
    }

    private func handle(_ command: Command) {
        switch command {
        case .add(let t, let request):
            if stopping || t.isCancelled {
                t.complete(.failure(TransportError(kind: .cancelled, message: "cancelled")), status: 0)
                return
            }
            do {
                let easy = try configure(t, request)
                active[easy] = t
                setActiveCount()
                curl_multi_add_handle(multi, easy)
            } catch {
                release(t)
                t.complete(.failure(error), status: 0)
            }
        case .remove(let t):
            guard let easy = t.easy, active[easy] != nil else { return }
            curl_multi_remove_handle(multi, easy)
            active[easy] = nil
            setActiveCount()
            release(t)
            t.complete(.failure(TransportError(kind: .cancelled, message: "cancelled")), status: 0)
        case .unpause(let t):
            guard let easy = t.easy, active[easy] != nil, t.paused else { return }
            t.paused = false
            // May call the write callback right here with the held-back bytes.
            curl_easy_pause(easy, 0)
        case .stop:
            stopping = true
            for (easy, t) in active {
                curl_multi_remove_handle(multi, easy)
                release(t)
                t.complete(.failure(TransportError(kind: .cancelled, message: "transport stopped")), status: 0)
            }
            active.removeAll()
            setActiveCount()
        }
    }

    private func setActiveCount() {
        lock.lock()
        activeCount = active.count
        lock.unlock()
    }

    private func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let t = active.removeValue(forKey: easy) else { return }
        setActiveCount()
        var status: Int = 0
        kubeluma_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let result: Result<Void, TransportError>
        if code == CURLE_OK {
            result = .success(())
        } else {
            let detail = t.errorBuffer.map { String(cString: $0) } ?? ""
            var message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            // Without a response, the failure may be the proxy's: name it.
            if status == 0, let proxy = t.proxyForErrors { message += " (through proxy \(proxy))" }
            result = .failure(TransportError(kind: Self.kind(of: code), message: message, curlCode: Int(code.rawValue)))
            logger.debug("transfer failed", metadata: ["curl.code": "\(code.rawValue)", "curl.error": "\(message)"])
        }
        curl_multi_remove_handle(multi, easy)
        release(t)
        t.complete(result, status: status)
    }

    private func release(_ t: CurlTransfer) {
        if let easy = t.easy { curl_easy_cleanup(easy) }
        t.easy = nil
        if let h = t.headerList { curl_slist_free_all(h) }
        t.headerList = nil
        if let c = t.connectTo { curl_slist_free_all(c) }
        t.connectTo = nil
        t.errorBuffer?.deallocate()
        t.errorBuffer = nil
    }

    static func kind(of code: CURLcode) -> TransportError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT: .connectionRefused
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            .tls
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2_STREAM, CURLE_HTTP2:
            .connectionLost
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR: .cancelled
        default: .other
        }
    }
}
