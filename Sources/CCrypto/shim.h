// Reads the validity window of a PEM client certificate with Debian's OpenSSL (libssl-dev), so
// an expired certificate in a kubeconfig is named before any request instead of surfacing as a
// bare 401 from the API server.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <time.h>

/// Fills seconds since the epoch (UTC) for notBefore and notAfter of the first certificate in
/// `pem`. Returns 0, or -1 when the bytes hold no readable certificate.
static inline int kl_certificate_validity(const void *pem, int length, long long *not_before, long long *not_after) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return -1;
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (cert == NULL) {
        // Leave no error on this thread's OpenSSL queue for libcurl to misreport later.
        ERR_clear_error();
        return -1;
    }
    struct tm before, after;
    int ok = ASN1_TIME_to_tm(X509_get0_notBefore(cert), &before) == 1
          && ASN1_TIME_to_tm(X509_get0_notAfter(cert), &after) == 1;
    X509_free(cert);
    if (!ok) return -1;
    *not_before = (long long)timegm(&before);
    *not_after = (long long)timegm(&after);
    return 0;
}
