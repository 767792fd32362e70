#include "core/config_validate.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <utility>

namespace aw::core {
namespace {

// 127.0.0.0/8 and ::1.
bool is_loopback_address(const std::string& host) {
  unsigned char addr[16];
  if (inet_pton(AF_INET, host.c_str(), addr) == 1) return addr[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), addr) == 1) {
    for (int k = 0; k < 15; ++k)
      if (addr[k] != 0) return false;
    return addr[15] == 1;
  }
  return false;
}

// "" when every comma-separated item of `list` is host:port.
std::string first_bad_worker_address(const std::string& list) {
  for (const auto& item : split_worker_addresses(list)) {
    auto colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0) return item;
    auto port = item.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
      return item;
  }
  return "";
}

// Cluster TLS: all three files or none, each readable; a worker on a
// non-loopback address needs TLS unless INSECURE_CLUSTER=1. (That the files
// hold a certificate, its key and a CA is checked by cluster/tls_files.)
void validate_cluster_tls(const config& cfg, std::vector<std::string>& errors) {
  const std::pair<const char*, const std::string*> files[] = {
      {"CLUSTER_TLS_CERT", &cfg.cluster_tls_cert},
      {"CLUSTER_TLS_KEY", &cfg.cluster_tls_key},
      {"CLUSTER_TLS_CA", &cfg.cluster_tls_ca}};
  int set = 0;
  for (const auto& [name, path] : files) set += path->empty() ? 0 : 1;
  if (set != 0 && set != 3) {
    std::string missing;
    for (const auto& [name, path] : files)
      if (path->empty()) missing += (missing.empty() ? "" : ", ") + std::string(name);
    errors.push_back(
        "CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA: set all three or "
        "none (" +
        missing + " not set)");
    return;
  }
  if (set == 3)
    for (const auto& [name, path] : files)
      if (!std::ifstream(*path).good())
        errors.push_back(std::string(name) + ": '" + *path + "' cannot be read");
  if (cfg.role == "worker" && set == 0 && !cfg.insecure_cluster &&
      !is_loopback_address(cfg.worker_host) && cfg.worker_host != "localhost")
    errors.push_back("WORKER_HOST: listening on " + cfg.worker_host +
                     " without TLS would let anyone who reaches the port run steps on this "
                     "worker (and spend its model quota); set CLUSTER_TLS_CERT, CLUSTER_TLS_KEY "
                     "and CLUSTER_TLS_CA (deploy/make-dev-ca.sh makes a development CA), listen "
                     "on 127.0.0.1, or pass --insecure-cluster");
}

}  // namespace

void validate_config(config& cfg, std::vector<std::string>& errors) {
  for (auto& c : cfg.log_level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (cfg.log_level != "debug" && cfg.log_level != "info" && cfg.log_level != "warn" &&
      cfg.log_level != "error")
    errors.push_back("LOG_LEVEL: '" + cfg.log_level + "' is not one of debug, info, warn, error");
  if (cfg.llm_provider != "builtin" && cfg.llm_provider != "openai")
    errors.push_back("LLM_PROVIDER: '" + cfg.llm_provider + "' is not one of builtin, openai");
  if (cfg.llm_provider == "openai" && cfg.openai_api_key.empty())
    errors.push_back(
        "OPENAI_API_KEY: must be set for LLM_PROVIDER=openai (any non-empty value for a local "
        "server that needs no key)");
  if (cfg.llm_base_url.rfind("http://", 0) != 0 && cfg.llm_base_url.rfind("https://", 0) != 0)
    errors.push_back("LLM_BASE_URL: '" + cfg.llm_base_url +
                     "' must start with http:// or https://");
  if (cfg.llm_model.empty() || cfg.llm_model.size() > 200)
    errors.push_back("LLM_MODEL: must be 1..200 characters");
  if (!cfg.llm_ca_file.empty() && !std::ifstream(cfg.llm_ca_file).good())
    errors.push_back("LLM_CA_FILE: '" + cfg.llm_ca_file + "' cannot be read");
  {
    // The largest frame (a chart at MAX_CHART_SIZE_MB as base64, plus the
    // response around it) must fit under the 4x limit, or every such run
    // would close its connection with 4002.
    std::int64_t frame =
        (static_cast<std::int64_t>(cfg.max_chart_size_mb) << 20) * 4 / 3 + (256 << 10);
    if (frame > 4 * cfg.max_send_queue_bytes)
      errors.push_back("MAX_SEND_QUEUE_BYTES: " + std::to_string(cfg.max_send_queue_bytes) +
                       " is too small for one chart of MAX_CHART_SIZE_MB=" +
                       std::to_string(cfg.max_chart_size_mb) + " (a frame of up to " +
                       std::to_string(frame) + " bytes must fit under 4x MAX_SEND_QUEUE_BYTES)");
  }
  if (!cfg.auth_secret.empty() && cfg.auth_secret.size() < 32)
    errors.push_back("AUTH_SECRET: " + std::to_string(cfg.auth_secret.size()) +
                     " bytes is too short to sign tokens safely; use at least 32 random bytes "
                     "(e.g. openssl rand -hex 32)");
  if (cfg.png_path != "svg" && cfg.png_path != "pngcairo" && cfg.png_path != "pngcairo-fast")
    errors.push_back("PNG_PATH: '" + cfg.png_path + "' is not one of pngcairo-fast, pngcairo, svg");
  if (cfg.agui_disconnect != "continue" && cfg.agui_disconnect != "cancel")
    errors.push_back("AGUI_DISCONNECT: '" + cfg.agui_disconnect +
                     "' is not one of continue, cancel");
  if (cfg.llm_fallback != "builtin" && cfg.llm_fallback != "none")
    errors.push_back("LLM_FALLBACK: '" + cfg.llm_fallback + "' is not one of builtin, none");
  if (cfg.node_id.empty() || cfg.node_id.size() > 64)
    errors.push_back("NODE_ID: must be 1..64 characters");
  if (cfg.host.empty()) {
    errors.push_back("HOST: must not be empty");
  } else {
    unsigned char addr[16];
    if (inet_pton(AF_INET, cfg.host.c_str(), addr) != 1 &&
        inet_pton(AF_INET6, cfg.host.c_str(), addr) != 1)
      errors.push_back("HOST: '" + cfg.host +
                       "' is not an IP address; use 127.0.0.1 (this host only), ::1, or 0.0.0.0 "
                       "(every interface)");
    else if (cfg.role != "worker" && cfg.auth_secret.empty() && !cfg.allow_anonymous &&
             !is_loopback_address(cfg.host))
      errors.push_back("HOST: listening on " + cfg.host +
                       " without AUTH_SECRET would let anyone on the network act as any user; "
                       "set AUTH_SECRET, listen on 127.0.0.1, or set ALLOW_ANONYMOUS=1");
  }
  if (cfg.role != "all" && cfg.role != "gateway" && cfg.role != "worker")
    errors.push_back("ROLE: '" + cfg.role + "' is not one of all, gateway, worker");
  if (cfg.role == "gateway" && cfg.workers.empty())
    errors.push_back("WORKERS: a gateway needs at least one worker (--workers host:port,...)");
  if (cfg.role == "gateway") {
    std::string bad = first_bad_worker_address(cfg.workers);
    if (!bad.empty()) errors.push_back("WORKERS: '" + bad + "' is not host:port (port 1..65535)");
  }
  validate_cluster_tls(cfg, errors);
  if (cfg.data_dir.empty()) errors.push_back("DATA_DIR: must not be empty");
  if (!cfg.store_url.empty() && cfg.store_url.rfind("postgresql://", 0) != 0 &&
      cfg.store_url.rfind("postgres://", 0) != 0 && cfg.store_url.rfind("sqlite:", 0) != 0)
    errors.push_back("STORE_URL: must start with postgresql://, postgres:// or sqlite:");
  if (cfg.port != 0 && cfg.port < 1024)
    errors.push_back("PORT: " + std::to_string(cfg.port) + " is out of range 1024..65535 (or 0)");
}

}  // namespace aw::core
