import Foundation
import Hummingbird

/// Serves `web/` from the copy embedded in the binary at build time.
enum StaticFiles {
    static func response(for path: String) -> Response? {
        var name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if name.isEmpty { name = "index.html" }
        guard !name.contains(".."), let data = EmbeddedAssets.data("web/\(name)") else { return nil }
        var headers = HTTPFields()
        headers[.contentType] = contentType(name)
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func contentType(_ name: String) -> String {
        switch name.split(separator: ".").last ?? "" {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }
}
