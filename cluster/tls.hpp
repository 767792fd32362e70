// Mutual TLS between gateways and workers (issue #17), with CAF's OpenSSL
// module. Each node presents CLUSTER_TLS_CERT (key CLUSTER_TLS_KEY) and lets
// in only peers whose certificate CLUSTER_TLS_CA signed: CAF 0.17.6 sets
// SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT once a certificate is
// configured, so a peer without one is dropped in the TLS handshake, before
// BASP reads a byte. Host names are not checked: any holder of a
// certificate from that CA is a cluster node.
#pragma once

#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>

#include "core/config.hpp"

namespace aw::cluster {

// What is wrong with the TLS files (empty when TLS is off or all is well):
// unreadable or not PEM, a key that does not match the certificate, an
// encrypted key (no passphrase is asked for), a certificate that the CA did
// not sign or that has expired. Checked before the actor system starts,
// because CAF's own loading of them fails inside its I/O thread.
std::vector<std::string> cluster_tls_problems(const core::config& cfg);

// Loads CAF's OpenSSL module and gives it the three files (TLS on only).
void configure_cluster_tls(caf::actor_system_config& caf_cfg, const core::config& cfg);

}  // namespace aw::cluster
