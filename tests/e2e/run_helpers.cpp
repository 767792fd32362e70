#include "e2e/run_helpers.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include <map>
#include <set>

namespace aw::test {

std::unique_ptr<server_process> start_server(std::vector<std::string> env) {
  auto server = std::make_unique<server_process>(std::move(env));
  REQUIRE_MESSAGE(server->wait_listening(), server->log());
  return server;
}

std::unique_ptr<ws_client> open_user(const server_process& s, const std::string& user,
                                     const std::string& session, const std::string& query) {
  auto c = ws_client::connect(s.url("/ws?user_id=" + user + "&session_id=" + session + query));
  REQUIRE(c);
  REQUIRE(c->wait_for([](const auto& f) { return !f.empty(); }));
  REQUIRE(c->frames().front().type() == "connection_ack");
  return c;
}

std::vector<const frame*> run_events(const std::vector<frame>& frames, const std::string& cid) {
  std::vector<const frame*> out;
  for (const auto& f : frames)
    if (f.has("seq") && f.has("correlation_id") && f["correlation_id"].IsString() &&
        cid == f["correlation_id"].GetString())
      out.push_back(&f);
  return out;
}

bool completed(const std::vector<frame>& frames, const std::string& cid) {
  for (const auto* f : run_events(frames, cid))
    if (f->type() == "agent_completed") return true;
  return false;
}

std::string check_run(const std::vector<frame>& frames, const std::string& cid) {
  auto events = run_events(frames, cid);
  if (events.empty()) return cid + ": no events";
  if (events.front()->type() != "agent_started")
    return cid + ": first is " + events.front()->type();
  if (events.back()->type() != "agent_completed") return cid + ": last is " + events.back()->type();
  int started = 0, completed_count = 0, thinking = 0;
  std::map<std::string, std::string> open_tools;
  std::set<std::string> tool_calls;  // a step is never executed twice (issue #18 re-runs)
  std::string run_id = (*events.front())["run_id"].GetString();
  for (const auto* e : events) {
    std::string t = e->type();
    if (run_id != (*e)["run_id"].GetString()) return cid + ": run_id changes";
    const auto& data = (*e)["data"];
    if (t == "agent_started") ++started;
    if (t == "agent_completed") ++completed_count;
    if (t == "agent_thinking") ++thinking;
    if (t == "tool_executing") {
      std::string id = data["tool_call_id"].GetString();
      if (!tool_calls.insert(id).second) return cid + ": tool_call_id executed twice";
      open_tools[id] = data["tool"].GetString();
    }
    if (t == "tool_completed") {
      std::string id = data["tool_call_id"].GetString();
      auto it = open_tools.find(id);
      if (it == open_tools.end()) return cid + ": tool_completed without tool_executing";
      if (it->second != data["tool"].GetString()) return cid + ": tool name differs";
      open_tools.erase(it);
    }
  }
  if (started != 1 || completed_count != 1) return cid + ": started/completed not exactly once";
  if (thinking < 1) return cid + ": no agent_thinking";
  if (!open_tools.empty()) return cid + ": a tool_executing has no tool_completed";
  return "";
}

std::string check_seq(const std::vector<frame>& frames) {
  long long last = -1;
  for (const auto& f : frames) {
    if (f.type() == "connection_ack") last = f["last_seq"].GetInt64();
    if (!f.has("seq")) continue;
    long long seq = f["seq"].GetInt64();
    if (last >= 0 && seq != last + 1)
      return "seq " + std::to_string(seq) + " after " + std::to_string(last);
    last = seq;
  }
  return "";
}

std::string base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned val = 0;
  int bits = -8;
  for (char c : in) {
    auto pos = chars.find(c);
    if (pos == std::string::npos) break;
    val = (val << 6) + static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string request_json(const std::string& cid, const std::string& content,
                         const std::string& extra_payload) {
  std::string payload = "{\"content\":\"" + content + "\"";
  if (!extra_payload.empty()) payload += "," + extra_payload;
  payload += "}";
  return "{\"type\":\"analytics_request\",\"correlation_id\":\"" + cid +
         "\",\"payload\":" + payload + "}";
}

rapidjson::Document json_of(const http_response& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  REQUIRE_MESSAGE(!d.HasParseError(), r.body);
  REQUIRE(d.IsObject());
  return d;
}

temp_dir::temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  path = tmpl;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::unique_ptr<server_process> start_in(const std::filesystem::path& data_dir,
                                         std::vector<std::string> env) {
  env.push_back("DATA_DIR=" + data_dir.string());
  return start_server(std::move(env));
}

int tcp_connect(int port, int receive_buffer) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (receive_buffer > 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::size_t event_count(const std::vector<frame>& frames) {
  std::size_t n = 0;
  for (const auto& f : frames) n += f.has("seq") ? 1 : 0;
  return n;
}

long long max_seq(const std::vector<frame>& frames) {
  long long m = 0;
  for (const auto& f : frames)
    if (f.has("seq")) m = std::max<long long>(m, f["seq"].GetInt64());
  return m;
}

double metric(const std::string& text, const std::string& name) {
  auto at = text.find("\n" + name + " ");
  REQUIRE_MESSAGE(at != std::string::npos, name);
  return std::stod(text.substr(at + name.size() + 2));
}

}  // namespace aw::test
