import Foundation
import Informer
import Testing

/// TLS through libcurl against `openssl s_server` with certificates made for the test: a
/// private CA given as PEM bytes (kubeconfig `-data`), `tls-server-name`, insecure mode,
/// and a client certificate the server requires.
@Suite(.timeLimit(.minutes(1)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct TLSTests {
    /// A CA, a server certificate for `kubernetes.test` (not for 127.0.0.1) and a client certificate.
    static func makeCertificates(_ dir: TempDirectory) throws {
        let script = dir.write("gen.sh", """
        set -e
        cd "\(dir.path)"
        new() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $1.key -out $1.csr -subj /CN=$2 2>/dev/null; }
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=kubeluma-test-ca 2>/dev/null
        new server kubernetes.test
        printf "subjectAltName=DNS:kubernetes.test\\nextendedKeyUsage=serverAuth\\n" > server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile server.ext 2>/dev/null
        new client kubeluma-user
        printf "extendedKeyUsage=clientAuth\\n" > client.ext
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 1 -extfile client.ext 2>/dev/null
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key -out other.pem -days 1 -subj /CN=other-ca 2>/dev/null
        """)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [script]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// Runs `openssl s_server -www` on a free port until `body` returns.
    static func withServer<T>(_ dir: TempDirectory, requireClientCert: Bool,
                              _ body: (Int) async throws -> T) async throws -> T {
        for attempt in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            var args = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "\(dir.path)/server.pem", "-key", "\(dir.path)/server.key", "-www"]
            if requireClientCert { args += ["-Verify", "1", "-CAfile", "\(dir.path)/ca.pem"] }
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            // Wait for "ACCEPT" (listening) or an early exit (port taken).
            var seen = ""
            while !seen.contains("ACCEPT") {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
            }
            guard seen.contains("ACCEPT") else {
                p.terminate()
                if attempt == 4 { Issue.record("openssl s_server did not start: \(seen)") }
                continue
            }
            defer { p.terminate() }
            return try await body(port)
        }
        throw CancellationError()
    }

    func client(port: Int, tls: TLSOptions, transport: CurlTransport) -> KubeClient {
        KubeClient(connection: ClusterConnection(server: URL(string: "https://127.0.0.1:\(port)")!, tls: tls,
                                                 credentials: .token("t"), contextName: "tls-test"),
                   transport: transport)
    }

    func pem(_ dir: TempDirectory, _ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: "\(dir.path)/\(name)")!)
    }

    @Test func customCAAndServerNameVerifyAndAWrongCAIsATLSError() async throws {
        let dir = TempDirectory()
        try Self.makeCertificates(dir)
        let transport = CurlTransport()
        defer { transport.shutdown() }
        try await Self.withServer(dir, requireClientCert: false) { port in
            // Right CA, verified as the name in the certificate while dialling 127.0.0.1.
            let ok = client(port: port, tls: TLSOptions(caPEM: pem(dir, "ca.pem"), serverName: "kubernetes.test"), transport: transport)
            let body = try await ok.get(path: "/")
            #expect(String(decoding: body, as: UTF8.self).contains("s_server"))
            // Without the server name the certificate does not match 127.0.0.1.
            await expectTLSFailure(client(port: port, tls: TLSOptions(caPEM: pem(dir, "ca.pem")), transport: transport))
            // Another CA does not trust the server.
            await expectTLSFailure(client(port: port, tls: TLSOptions(caPEM: pem(dir, "other.pem"), serverName: "kubernetes.test"), transport: transport))
            // insecure-skip-tls-verify connects anyway.
            _ = try await client(port: port, tls: TLSOptions(insecureSkipVerify: true), transport: transport).get(path: "/")
        }
    }

    @Test func clientCertificateIsPresentedFromPEMBytes() async throws {
        let dir = TempDirectory()
        try Self.makeCertificates(dir)
        let transport = CurlTransport()
        defer { transport.shutdown() }
        try await Self.withServer(dir, requireClientCert: true) { port in
            let tls = TLSOptions(caPEM: pem(dir, "ca.pem"), clientCertificatePEM: pem(dir, "client.pem"),
                                 clientKeyPEM: pem(dir, "client.key"), serverName: "kubernetes.test")
            let body = try await client(port: port, tls: tls, transport: transport).get(path: "/")
            #expect(String(decoding: body, as: UTF8.self).contains("kubeluma-user"))
        }
    }

    func expectTLSFailure(_ client: KubeClient) async {
        do {
            _ = try await client.get(path: "/")
            Issue.record("expected a TLS failure")
        } catch let error as KubeClientError {
            guard case .transport(let t) = error else { Issue.record("expected a transport error, got \(error)"); return }
            #expect(t.kind == .tls)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
