import Foundation
import Hummingbird

/// The browser-facing defences of DESIGN.md's security model:
/// - `Host` must name the address we serve (DNS rebinding: a hostile page's hostname resolving
///   to 127.0.0.1 is refused);
/// - a POST or WebSocket upgrade from a browser must come from our own origin (cross-site
///   requests and WebSocket hijacking are refused);
/// - off loopback, every request must carry the per-run access token (query or cookie);
/// - every response carries a strict Content-Security-Policy and no-sniff/no-frame headers.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedHosts: @Sendable () -> Set<String>
    let accessToken: String?

    static var contentSecurityPolicy: String {
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // DNS rebinding is about the name: compare the host name, with or without a port. With
        // an access token (a non-loopback bind) the token protects instead: a rebinding page
        // cannot present it, and colleagues reach the server by names this process cannot
        // know (the machine's address, its DNS name).
        guard let host = request.head.authority,
              accessToken != nil || allowedHosts().contains(Self.hostName(host)) else {
            return Self.refuse("This kubeluma server only answers requests addressed to the host it serves.")
        }
        let isUpgrade = request.headers[.upgrade]?.lowercased() == "websocket"
        if request.method == .post || isUpgrade {
            // Browsers always send Origin on these; a non-browser client (curl, tests) may not.
            if let origin = request.headers[.origin], !Self.sameOrigin(origin, host: host) {
                return Self.refuse("Cross-origin requests are refused.")
            }
            if isUpgrade && request.headers[.origin] == nil && accessToken != nil {
                return Self.refuse("WebSocket connections need an Origin header.")
            }
        }
        var setCookie = false
        if let accessToken {
            let fromQuery = request.uri.queryParameters.get("token")
            let fromCookie = request.cookies["kubeluma_token"]?.value
            guard fromQuery == accessToken || fromCookie == accessToken else {
                return Self.refuse("This kubeluma server needs its access token: open the URL it printed at start.")
            }
            setCookie = fromQuery == accessToken && fromCookie != accessToken
        }
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        if setCookie, let accessToken {
            response.headers[.setCookie] = "kubeluma_token=\(accessToken); Path=/; HttpOnly; SameSite=Strict"
        }
        return response
    }

    /// `127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `[::1]`.
    static func hostName(_ authority: String) -> String {
        let lower = authority.lowercased()
        if lower.hasPrefix("[") { return lower.split(separator: "]").first.map { $0 + "]" } ?? lower }
        return String(lower.split(separator: ":").first ?? Substring(lower))
    }

    /// The Origin a page served by us sends: `http://` + the Host it used. Another page on
    /// this machine (another port) is a different origin and is refused. Non-browser clients
    /// that send a `ws://` origin for our own host name are no cross-site threat.
    static func sameOrigin(_ origin: String, host: String) -> Bool {
        let o = origin.lowercased()
        let h = host.lowercased()
        if o == "http://\(h)" { return true }
        for scheme in ["ws://", "wss://"] where o.hasPrefix(scheme) {
            return hostName(String(o.dropFirst(scheme.count))) == hostName(h)
        }
        return false
    }

    static func refuse(_ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .forbidden, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
