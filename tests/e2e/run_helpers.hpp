// Checks on the event stream one connection received (PROTOCOL.md section 4).
#pragma once

#include <string>
#include <vector>

#include <filesystem>
#include <memory>

#include <rapidjson/document.h>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

namespace aw::test {

// The real binary with `env` added; the test stops when it does not listen.
std::unique_ptr<server_process> start_server(std::vector<std::string> env = {});

// A connection of `user` (then `query` appended to the URL), once its
// connection_ack has arrived; the test stops otherwise.
std::unique_ptr<ws_client> open_user(const server_process& s, const std::string& user,
                                     const std::string& session = "s1",
                                     const std::string& query = "");

// Event frames (those with a seq) of one correlation_id, in arrival order.
std::vector<const frame*> run_events(const std::vector<frame>& frames, const std::string& cid);

// Empty when the run is complete and well ordered; otherwise what is wrong.
std::string check_run(const std::vector<frame>& frames, const std::string& cid);

// Empty when seq values on this connection increase by exactly one.
std::string check_seq(const std::vector<frame>& frames);

bool completed(const std::vector<frame>& frames, const std::string& cid);

// Event frames (those with a seq) on this connection, and the highest seq (0 when none).
std::size_t event_count(const std::vector<frame>& frames);
long long max_seq(const std::vector<frame>& frames);

// The value of an unlabelled metric in a /metrics text; the test stops when it is absent.
double metric(const std::string& text, const std::string& name);

std::string base64_decode(const std::string& in);

// The body of an HTTP answer as a JSON object; the test stops when it is not one.
rapidjson::Document json_of(const http_response& r);

std::string request_json(const std::string& cid, const std::string& content,
                         const std::string& extra_payload = "");

// A fresh directory under /tmp named from `prefix`, removed with its contents at the end.
struct temp_dir {
  explicit temp_dir(const std::string& prefix = "aw-e2e");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::filesystem::path path;
};

// start_server with DATA_DIR=data_dir added to `env`.
std::unique_ptr<server_process> start_in(const std::filesystem::path& data_dir,
                                         std::vector<std::string> env = {});

// A TCP connection to 127.0.0.1:port that sends nothing yet (`receive_buffer`
// > 0 shrinks SO_RCVBUF first); -1 on failure.
int tcp_connect(int port, int receive_buffer = 0);

}  // namespace aw::test
