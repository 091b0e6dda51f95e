import Foundation

/// A throwaway PKI for the simulator: a CA, a server certificate for 127.0.0.1/localhost, and a
/// client certificate, generated with Debian's `openssl` into a private folder. Real clusters
/// speak TLS, and kubectl will not send a bearer token over plain HTTP, so the simulator does too.
public struct TLSMaterial: Sendable {
    public let directory: URL
    public var caCertificate: URL { directory.appending(path: "ca.crt") }
    public var serverCertificate: URL { directory.appending(path: "server.crt") }
    public var serverKey: URL { directory.appending(path: "server.key") }
    public var clientCertificate: URL { directory.appending(path: "client.crt") }
    public var clientKey: URL { directory.appending(path: "client.key") }

    public struct GenerationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Generates the material unless the directory already holds it.
    public static func generate(in directory: URL, user: String) throws -> TLSMaterial {
        let material = TLSMaterial(directory: directory)
        let fm = FileManager.default
        if fm.fileExists(atPath: material.clientKey.path) { return material }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let d = directory.path
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", "\(d)/ca.key", "-out", "\(d)/ca.crt", "-days", "3650", "-subj", "/CN=kubeluma-sim-ca"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", "\(d)/server.key", "-out", "\(d)/server.csr", "-subj", "/CN=kube-apiserver"],
            ["x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key", "-CAcreateserial",
             "-out", "\(d)/server.crt", "-days", "3650", "-extfile", "\(d)/server.ext"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", "\(d)/client.key", "-out", "\(d)/client.csr", "-subj", "/O=system:masters/CN=\(user)"],
            ["x509", "-req", "-in", "\(d)/client.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key", "-CAcreateserial",
             "-out", "\(d)/client.crt", "-days", "3650", "-extfile", "\(d)/client.ext"],
        ]
        try "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n"
            .write(toFile: "\(d)/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: "\(d)/client.ext", atomically: true, encoding: .utf8)
        for arguments in steps {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            do { try process.run() } catch {
                throw GenerationError(description: "cannot run /usr/bin/openssl to make the simulator's certificates (install Debian's openssl): \(error)")
            }
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw GenerationError(description: "openssl \(arguments[0]) failed: \(String(decoding: stderr, as: UTF8.self))")
            }
        }
        return material
    }
}
