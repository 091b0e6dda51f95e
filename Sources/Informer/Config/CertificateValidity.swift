import CCrypto
import Foundation

/// The validity window of a PEM certificate, read with OpenSSL. kube-apiserver answers an expired
/// client certificate with a bare 401, so kubeluma reads the dates itself and says which
/// certificate expired and when.
struct CertificateValidity: Equatable, Sendable {
    var notBefore: Date
    var notAfter: Date

    /// Nil when the bytes hold no readable PEM certificate.
    init?(pem: [UInt8]) {
        var before: Int64 = 0
        var after: Int64 = 0
        let status = pem.withUnsafeBytes { raw in
            kl_certificate_validity(raw.baseAddress, Int32(clamping: raw.count), &before, &after)
        }
        guard status == 0 else { return nil }
        notBefore = Date(timeIntervalSince1970: TimeInterval(before))
        notAfter = Date(timeIntervalSince1970: TimeInterval(after))
    }
}
