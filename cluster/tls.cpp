#include "cluster/tls.hpp"

#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <caf/openssl/manager.hpp>

namespace aw::cluster {
namespace {

std::string openssl_error() {
  std::string out;
  while (auto e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

// No passphrase is ever asked for (OpenSSL would prompt on the terminal).
int no_passphrase(char*, int, int, void*) {
  return 0;
}

}  // namespace

std::vector<std::string> cluster_tls_problems(const core::config& cfg) {
  std::vector<std::string> out;
  if (!cfg.cluster_tls()) return out;
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
  if (!ctx) return {"cluster TLS: cannot create an OpenSSL context: " + openssl_error()};
  SSL_CTX_set_default_passwd_cb(ctx.get(), no_passphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cfg.cluster_tls_cert.c_str()) != 1)
    out.push_back("CLUSTER_TLS_CERT: '" + cfg.cluster_tls_cert +
                  "' is not a PEM certificate: " + openssl_error());
  std::unique_ptr<BIO, decltype(&BIO_free)> key_file(BIO_new_file(cfg.cluster_tls_key.c_str(), "r"),
                                                     BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      key_file ? PEM_read_bio_PrivateKey(key_file.get(), nullptr, no_passphrase, nullptr) : nullptr,
      EVP_PKEY_free);
  if (!key)
    out.push_back("CLUSTER_TLS_KEY: '" + cfg.cluster_tls_key +
                  "' is not an unencrypted PEM private key: " + openssl_error());
  else if (out.empty() && (SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
                           SSL_CTX_check_private_key(ctx.get()) != 1))
    out.push_back("CLUSTER_TLS_KEY: '" + cfg.cluster_tls_key +
                  "' is not the key of CLUSTER_TLS_CERT '" + cfg.cluster_tls_cert + "'");
  ERR_clear_error();
  if (SSL_CTX_load_verify_locations(ctx.get(), cfg.cluster_tls_ca.c_str(), nullptr) != 1) {
    out.push_back("CLUSTER_TLS_CA: '" + cfg.cluster_tls_ca +
                  "' is not a PEM CA certificate: " + openssl_error());
    return out;
  }
  if (!out.empty()) return out;
  // Peers check this node's certificate against the same CA: say so now
  // rather than have every handshake fail.
  X509* cert = SSL_CTX_get0_certificate(ctx.get());
  STACK_OF(X509)* chain = nullptr;
  SSL_CTX_get0_chain_certs(ctx.get(), &chain);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> verify(X509_STORE_CTX_new(),
                                                                         X509_STORE_CTX_free);
  if (!verify ||
      X509_STORE_CTX_init(verify.get(), SSL_CTX_get_cert_store(ctx.get()), cert, chain) != 1)
    return {"cluster TLS: cannot check CLUSTER_TLS_CERT: " + openssl_error()};
  if (X509_verify_cert(verify.get()) != 1)
    out.push_back("CLUSTER_TLS_CERT: '" + cfg.cluster_tls_cert +
                  "' does not verify against CLUSTER_TLS_CA '" + cfg.cluster_tls_ca +
                  "': " + X509_verify_cert_error_string(X509_STORE_CTX_get_error(verify.get())));
  ERR_clear_error();
  return out;
}

void configure_cluster_tls(caf::actor_system_config& caf_cfg, const core::config& cfg) {
  if (!cfg.cluster_tls()) return;
  caf_cfg.load<caf::openssl::manager>();
  caf_cfg.openssl_certificate = cfg.cluster_tls_cert;
  caf_cfg.openssl_key = cfg.cluster_tls_key;
  caf_cfg.openssl_cafile = cfg.cluster_tls_ca;
}

}  // namespace aw::cluster
