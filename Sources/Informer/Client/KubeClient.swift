import Foundation
import Logging

/// Read-only access to one cluster's API over the transport: builds URLs (keeping any server
/// path prefix), attaches credentials (only over https or to loopback), turns non-2xx
/// responses into `KubeClientError.status` with the server's Status, and retries once with
/// fresh credentials after a 401.
public final class KubeClient: Sendable {
    public let connection: ClusterConnection
    let transport: CurlTransport
    let credentials: CredentialProvider
    let logger: Logger

    public init(connection: ClusterConnection, transport: CurlTransport, logger: Logger = Logger(label: "kubeluma.client"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.connection = connection
        self.transport = transport
        self.logger = logger
        var info: [String: String] = ["server": connection.server.absoluteString]
        if let name = connection.tls.serverName { info["tls-server-name"] = name }
        if connection.tls.insecureSkipVerify { info["insecure-skip-tls-verify"] = "true" }
        if let ca = connection.tls.caPEM { info["certificate-authority-data"] = Data(ca).base64EncodedString() }
        if let proxy = connection.proxy { info["proxy-url"] = proxy }
        self.credentials = CredentialProvider(credentials: connection.credentials, contextName: connection.contextName,
                                              clusterInfo: info, now: now)
    }

    /// The URL for a path and query under the server (path prefix kept).
    public func url(path: String, query: [(String, String)]) -> String {
        var base = connection.server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return query.isEmpty ? base + path : base + path + "?" + APICollection.query(query)
    }

    /// Sends a GET and returns the response once a 2xx head arrived. Non-2xx: reads the
    /// body and throws `.status`. 401: refreshes the credentials once and tries again.
    public func send(path: String, query: [(String, String)] = [], accept: String = "application/json",
                     idleTimeout: Duration? = nil, totalTimeout: Duration? = nil) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            var tls = connection.tls
            var headers: [(String, String)] = [("Accept", accept), ("User-Agent", "kubeluma")]
            var generation: Int?
            if connection.mayCarryCredentials {
                let auth: AuthMaterial
                do {
                    auth = try await credentials.material()
                } catch let e as KubeClientError {
                    throw e
                } catch {
                    throw KubeClientError.credentials("\(error)")
                }
                generation = auth.generation
                if let a = auth.authorization { headers.append(("Authorization", a)) }
                if let cert = auth.clientCertificatePEM, let key = auth.clientKeyPEM {
                    tls.clientCertificatePEM = cert
                    tls.clientKeyPEM = key
                }
                headers += connection.impersonationHeaders
            }
            let request = HTTPRequest(url: url(path: path, query: query), headers: headers, tls: tls, proxy: connection.proxy,
                                      idleTimeout: idleTimeout, totalTimeout: totalTimeout,
                                      acceptCompression: !connection.disableCompression)
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let e as TransportError {
                throw KubeClientError.transport(e)
            }
            if (200..<300).contains(response.status) { return response }
            let body = (try? await response.body.collect(maxBytes: 1 << 20)) ?? []
            let status = KubeStatus.from(httpCode: response.status, body: body)
            if response.status == 401, attempt == 1, let generation, connection.credentials.isRefreshable {
                logger.info("refreshing credentials after 401", metadata: ["k8s.context": "\(connection.contextName)"])
                await credentials.unauthorized(generation: generation)
                continue
            }
            throw KubeClientError.status(status, retryAfter: response.head.retryAfter ?? status.details?.retryAfterSeconds.map { .seconds($0) })
        }
    }

    /// GETs a whole (small) body.
    public func get(path: String, query: [(String, String)] = [], accept: String = "application/json") async throws -> [UInt8] {
        let response = try await send(path: path, query: query, accept: accept, idleTimeout: .seconds(60))
        do {
            return try await response.body.collect()
        } catch let e as TransportError {
            throw KubeClientError.transport(e)
        }
    }

    /// One LIST page, split into its items but not decoded (see `ListDecoder.splitPage`).
    public func listPage(_ collection: APICollection, namespace: String?, _ request: ListRequest,
                         decoder: ListDecoder = ListDecoder()) async throws -> ListDecoder.SplitPage {
        let body = try await get(path: collection.path(namespace: namespace), query: request.queryItems)
        do {
            return try decoder.splitPage(body)
        } catch {
            throw KubeClientError.decoding("\(error)")
        }
    }

    /// One LIST page, decoded.
    public func list(_ collection: APICollection, namespace: String?, _ request: ListRequest,
                     decoder: ListDecoder = ListDecoder()) async throws -> DecodedList {
        let page = try await listPage(collection, namespace: namespace, request, decoder: decoder)
        do {
            return DecodedList(objects: try decoder.decodeItems(page.items, resource: collection.resource),
                               metadata: page.metadata, kind: page.kind)
        } catch {
            throw KubeClientError.decoding("\(error)")
        }
    }

    /// Opens a watch. The idle deadline is the server's timeout plus `idleMargin` (30 s): a
    /// stream silent for longer is dead, whatever the socket says, and ends as a lost
    /// connection (resumed from the last resourceVersion).
    public func watch(_ collection: APICollection, namespace: String?, _ request: WatchRequest,
                      idleMargin: Duration = .seconds(30)) async throws -> HTTPResponse {
        try await send(path: collection.path(namespace: namespace), query: request.queryItems,
                       idleTimeout: .seconds(request.timeoutSeconds) + idleMargin)
    }

    /// Whether the server serves events.k8s.io/v1 (discovery); false on any failure.
    public func servesEventsV1() async -> Bool {
        guard let body = try? await get(path: "/apis/events.k8s.io/v1") else { return false }
        return String(decoding: body, as: UTF8.self).contains("\"events\"")
    }
}
