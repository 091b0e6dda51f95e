import CCurl
import Foundation

extension CurlTransport {
    /// Builds the easy handle for a request. Runs on the transport thread.
    func configure(_ t: CurlTransfer, _ request: HTTPRequest) throws(TransportError) -> UnsafeMutableRawPointer {
        guard let easy = curl_easy_init() else { throw TransportError(kind: .other, message: "curl_easy_init failed") }
        t.easy = easy
        var ok = true
        func set(_ o: CURLoption, _ v: Int) { ok = ok && kubeluma_curl_easy_setopt_long(easy, o, v) == CURLE_OK }
        func set(_ o: CURLoption, _ v: String) { ok = ok && kubeluma_curl_easy_setopt_string(easy, o, v) == CURLE_OK }
        func setBlob(_ o: CURLoption, _ bytes: [UInt8]) {
            ok = ok && bytes.withUnsafeBytes { kubeluma_curl_easy_setopt_blob(easy, o, $0.baseAddress, $0.count) } == CURLE_OK
        }

        var url = request.url
        if let name = request.tls.serverName, !name.isEmpty, var comps = URLComponents(string: request.url), let host = comps.host {
            // libcurl cannot "verify as name X": put X in the URL (SNI, verification, Host)
            // and dial the real address with CONNECT_TO.
            let port = comps.port ?? (comps.scheme == "http" ? 80 : 443)
            comps.host = name
            comps.port = port
            url = comps.string ?? url
            let realHost = host.contains(":") ? "[\(host)]" : host
            t.connectTo = curl_slist_append(nil, "\(name):\(port):\(realHost):\(port)")
            ok = ok && kubeluma_curl_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, t.connectTo) == CURLE_OK
        }
        set(CURLOPT_URL, url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_FOLLOWLOCATION, 0)
        set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        set(CURLOPT_PIPEWAIT, 1)
        set(CURLOPT_TCP_KEEPALIVE, 1)
        set(CURLOPT_TCP_KEEPIDLE, 30)
        set(CURLOPT_TCP_KEEPINTVL, 15)
        set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.milliseconds))
        if let idle = request.idleTimeout {
            // Below 1 byte/s for the whole period: the stream is dead.
            set(CURLOPT_LOW_SPEED_LIMIT, 1)
            set(CURLOPT_LOW_SPEED_TIME, max(1, Int(idle.milliseconds / 1000)))
        }
        if let total = request.totalTimeout { set(CURLOPT_TIMEOUT_MS, Int(total.milliseconds)) }
        if request.acceptCompression { set(CURLOPT_ACCEPT_ENCODING, "") }
        if let proxy = request.proxy, !proxy.isEmpty {
            set(CURLOPT_PROXY, proxy.hasPrefix("socks5://") ? "socks5h://" + proxy.dropFirst("socks5://".count) : proxy)
            t.proxyForErrors = Self.withoutCredentials(proxy)
        }
        if let ca = request.tls.caPEM { setBlob(CURLOPT_CAINFO_BLOB, ca) }
        if let cert = request.tls.clientCertificatePEM {
            setBlob(CURLOPT_SSLCERT_BLOB, cert)
            set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = request.tls.clientKeyPEM {
            setBlob(CURLOPT_SSLKEY_BLOB, key)
            set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        if request.tls.insecureSkipVerify {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        // Never "Expect: 100-continue" or a default Accept: the caller says what it accepts.
        t.headerList = list
        if list != nil { ok = ok && kubeluma_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list) == CURLE_OK }

        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        t.errorBuffer = buffer
        ok = ok && kubeluma_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, buffer) == CURLE_OK

        let me = Unmanaged.passUnretained(t).toOpaque()
        ok = ok && kubeluma_curl_easy_setopt_write_cb(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback) == CURLE_OK
        ok = ok && kubeluma_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me) == CURLE_OK
        ok = ok && kubeluma_curl_easy_setopt_write_cb(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback) == CURLE_OK
        ok = ok && kubeluma_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me) == CURLE_OK
        guard ok else { throw TransportError(kind: .other, message: "libcurl rejected an option (is this libcurl too old for blobs?)") }
        return easy
    }

    /// A proxy URL as it may be shown: `http://user:secret@proxy:3128` → `http://proxy:3128`.
    static func withoutCredentials(_ proxy: String) -> String {
        guard var parts = URLComponents(string: proxy), parts.user != nil || parts.password != nil else {
            // No credentials, or not a URL Foundation parses: at most what follows an `@`.
            return proxy.split(separator: "@").last.map(String.init) ?? proxy
        }
        parts.user = nil
        parts.password = nil
        return parts.string ?? proxy
    }
}

/// Body bytes: hand them to the transfer, or pause when its consumer is behind.
private let curlWriteCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata, let data else { return 0 }
    let t = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    var status = 0
    if !t.headDelivered, let easy = t.easy { kubeluma_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
    if t.receiveBody(UnsafeRawBufferPointer(start: data, count: n), status: status) { return n }
    t.paused = true
    return Int(CURL_WRITEFUNC_PAUSE)
}

/// Header lines, one per call.
private let curlHeaderCallback: curl_write_callback = { data, size, count, userdata in
    guard let userdata, let data else { return 0 }
    let t = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
    if line == "\r\n" || line == "\n" {
        // The end of a header block. Deliver the head now, not with the first body byte: a
        // quiet watch or log follow sends no body for a long time. A proxy's CONNECT answer
        // and 1xx responses leave the response code below 200, so they are skipped.
        var status = 0
        if !t.headDelivered, let easy = t.easy { kubeluma_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
        if status >= 200 { t.deliverHead(status: status) }
        return n
    }
    t.receiveHeaderLine(line)
    return n
}

extension Duration {
    var milliseconds: Int64 {
        let c = components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }
}
