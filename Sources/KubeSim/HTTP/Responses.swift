import Foundation
import Hummingbird
import NIOCore

/// Small constructors for the responses kube-apiserver sends.
enum Responses {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, private"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ text: String) -> Response { json(Array(text.utf8)) }

    static func status(_ s: Status, retryAfter: Int? = nil) -> Response {
        var response = json(WireEncoding.encode(s) + [UInt8(ascii: "\n")],
                            status: HTTPResponse.Status(code: s.code))
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// Unknown paths get Go's plain-text 404, not a Status (KUBERNETES-API.md §0).
    static func pageNotFound() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .notFound, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "404 page not found\n")))
    }

    static func plain(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func list(kind: String, apiVersion: String, page: ListPage, eventsAPI: Bool) -> Response {
        var out = Array("{\"kind\":\"\(kind)\",\"apiVersion\":\"\(apiVersion)\",\"metadata\":{\"resourceVersion\":\"\(page.resourceVersion)\"".utf8)
        if let token = page.continueToken { out += Array(",\"continue\":\"\(token)\"".utf8) }
        if let remaining = page.remainingItemCount { out += Array(",\"remainingItemCount\":\(remaining)".utf8) }
        out += Array("},\"items\":[".utf8)
        var first = true
        for item in page.items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += item.json(eventsAPI: eventsAPI, typeMeta: false)
        }
        out += Array("]}\n".utf8)
        return json(out)
    }
}
