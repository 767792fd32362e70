#include "support/fake_openai.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include "support/ws_client.hpp"

namespace aw::test {

fake_openai::fake_openai() : fake_openai("", "") {}

fake_openai::fake_openai(const std::string& tls_key, const std::string& tls_cert) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 1);
    if (tls_key.empty())
      execl(AW_NODE_BIN, AW_NODE_BIN, FAKE_OPENAI_JS, "0", static_cast<char*>(nullptr));
    else
      execl(AW_NODE_BIN, AW_NODE_BIN, FAKE_OPENAI_JS, "0", tls_key.c_str(), tls_cert.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  stdout_fd_ = fds[0];
}

fake_openai::~fake_openai() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool fake_openai::wait_listening(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out;
  while (port_ == 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[256];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return false;
    out.append(buf, static_cast<std::size_t>(n));
    auto at = out.find("listening ");
    auto end = out.find('\n', at);
    if (at != std::string::npos && end != std::string::npos)
      port_ = std::stoi(out.substr(at + 10, end - at - 10));
    auto tls = out.find("tls ");
    auto tls_end = out.find('\n', tls);
    if (tls != std::string::npos && tls_end != std::string::npos)
      tls_port_ = std::stoi(out.substr(tls + 4, tls_end - tls - 4));
  }
  return true;
}

std::string fake_openai::base_url(const std::string& prefix) const {
  return "http://127.0.0.1:" + std::to_string(port_) + prefix + "/v1";
}

std::string fake_openai::tls_base_url(const std::string& prefix) const {
  return "https://127.0.0.1:" + std::to_string(tls_port_) + prefix + "/v1";
}

double fake_openai::tls_stat(const std::string& field) const {
  std::string body, type;
  if (http_get(port_, "/tlsstats", &body, &type) != 200) return -1;
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember(field.c_str()) ||
      !doc[field.c_str()].IsNumber())
    return -1;
  return doc[field.c_str()].GetDouble();
}

std::string fake_openai::last_prompt() const {
  std::string body, type;
  if (http_get(port_, "/lastprompt", &body, &type) != 200) return "";
  return body;
}

int fake_openai::requests(const std::string& mode) const {
  std::string body, type;
  if (http_get(port_, "/stats", &body, &type) != 200) return -1;
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return -1;
  if (!doc.HasMember(mode.c_str())) return 0;
  return doc[mode.c_str()].GetInt();
}

namespace {

bool cfg_stats(int port, const std::string& key, rapidjson::Document& doc) {
  std::string body, type;
  if (http_get(port, "/cfgstats", &body, &type) != 200) return false;
  doc.Parse(body.c_str());
  return !doc.HasParseError() && doc.IsObject() && doc.HasMember(key.c_str()) &&
         doc[key.c_str()].IsObject();
}

}  // namespace

double fake_openai::cfg_stat(const std::string& key, const std::string& field) const {
  rapidjson::Document doc;
  if (!cfg_stats(port_, key, doc)) return -1;
  const auto& v = doc[key.c_str()];
  if (!v.HasMember(field.c_str()) || !v[field.c_str()].IsNumber()) return -1;
  return v[field.c_str()].GetDouble();
}

std::vector<double> fake_openai::cfg_arrivals(const std::string& key) const {
  std::vector<double> out;
  rapidjson::Document doc;
  if (!cfg_stats(port_, key, doc)) return out;
  const auto& v = doc[key.c_str()];
  if (!v.HasMember("arrivals") || !v["arrivals"].IsArray()) return out;
  for (const auto& a : v["arrivals"].GetArray())
    if (a.IsNumber()) out.push_back(a.GetDouble());
  return out;
}

int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace aw::test
