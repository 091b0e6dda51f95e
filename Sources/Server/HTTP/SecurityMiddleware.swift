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
        guard let host = request.head.authority, allowedHosts().contains(host.lowercased()) else {
            return Self.refuse("This kubeluma server only answers requests addressed to the host it serves.")
        }
        let isUpgrade = request.headers[.upgrade]?.lowercased() == "websocket"
        if request.method == .post || isUpgrade {
            // Browsers always send Origin on these; a non-browser client (curl, tests) may not.
            if let origin = request.headers[.origin], origin.lowercased() != "http://\(host.lowercased())" {
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

    static func refuse(_ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .forbidden, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
