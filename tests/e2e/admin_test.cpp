// The admin API of the real binary (issue #22 item 12): ADMIN_TOKEN only,
// nodes, users, connections, a user's event-log position, disconnect, cancel.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <rapidjson/document.h>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

const http_headers admin{{"Authorization", "Bearer adm-secret"}};

// A "gnuplot" that reads its input and never answers: a run stays in render.
struct hanging_gnuplot {
  std::string path = "/tmp/aw-admin-hanging-gnuplot-" + std::to_string(getpid()) + ".sh";
  hanging_gnuplot() {
    std::ofstream(path) << "#!/bin/sh\nexec cat >/dev/null\n";
    chmod(path.c_str(), 0755);
  }
  ~hanging_gnuplot() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("admin API: only with ADMIN_TOKEN, and absent without it") {
  auto off = start_server();
  CHECK(http_request(off->port(), "GET", "/admin/nodes", admin).status == 404);

  auto server = start_server({"ADMIN_TOKEN=adm-secret", "AUTH_SECRET=user-secret-0123456789abcdef0123456789"});
  auto none = http_request(server->port(), "GET", "/admin/nodes");
  CHECK(none.status == 401);
  CHECK(none.body.find("ADMIN_TOKEN") != std::string::npos);
  CHECK(
      http_request(server->port(), "GET", "/admin/nodes", {{"Authorization", "Bearer adm-secreT"}})
          .status == 401);
  auto nodes = http_request(server->port(), "GET", "/admin/nodes", admin);
  REQUIRE(nodes.status == 200);
  auto d = json_of(nodes);
  CHECK(std::string(d["nodes"][0]["node"].GetString()) == "gw-1");
  CHECK(std::string(d["nodes"][0]["version"].GetString()) == "0.1.0");
}

TEST_CASE("admin API: users, connections, position, disconnect and cancel") {
  hanging_gnuplot gnuplot;
  auto server = start_server(
      {"ADMIN_TOKEN=adm-secret", "GNUPLOT_PATH=" + gnuplot.path, "CHART_GENERATION_TIMEOUT_S=60"});
  int port = server->port();
  auto a1 = open_user(*server, "alice", "s1");
  auto a2 = open_user(*server, "alice", "s2");
  auto b1 = open_user(*server, "bob", "s1");
  std::string epoch = a1->frames().front()["epoch"].GetString();

  auto users = json_of(http_request(port, "GET", "/admin/users", admin));
  CHECK(users["total"].GetInt() == 2);
  for (const auto& u : users["users"].GetArray()) {
    std::string id = u["user_id"].GetString();
    CHECK(u["connections"].GetInt() == (id == "alice" ? 2 : 1));
  }
  auto conns = json_of(http_request(port, "GET", "/admin/connections", admin));
  CHECK(conns["total"].GetInt() == 3);
  CHECK(std::string(conns["connections"][0]["remote"].GetString()).find("127.0.0.1:") == 0);

  // A run that hangs in render, then cancelled by the operator.
  a1->send(request_json("hang-1", "Show quarterly revenue"));
  REQUIRE(a1->wait_for([](const auto& f) {
    for (const auto& x : f)
      if (x.type() == "tool_executing" && x.has("data") &&
          std::string(x["data"]["tool"].GetString()) == "render_chart")
        return true;
    return false;
  }));
  auto info = json_of(http_request(port, "GET", "/admin/users/alice", admin));
  CHECK(std::string(info["epoch"].GetString()) == epoch);
  CHECK(info["last_seq"].GetInt() >= 1);
  CHECK(info["oldest_seq"].GetInt() == 1);
  CHECK(info["connections"].GetInt() == 2);
  REQUIRE(info["runs"].Size() == 1);
  CHECK(std::string(info["runs"][0]["correlation_id"].GetString()) == "hang-1");

  CHECK(http_request(port, "GET", "/admin/users/alice/runs/hang-1/cancel", admin).status == 405);
  CHECK(http_request(port, "POST", "/admin/users/alice/runs/nope/cancel", admin).status == 404);
  auto cancel = http_request(port, "POST", "/admin/users/alice/runs/hang-1/cancel", admin);
  CHECK(cancel.status == 200);
  REQUIRE(a2->wait_for([](const auto& f) { return completed(f, "hang-1"); }));
  auto frames = a2->frames();
  CHECK(check_run(frames, "hang-1") == "");
  for (const auto* f : run_events(frames, "hang-1"))
    if (f->type() == "agent_completed")
      CHECK(std::string((*f)["data"]["status"].GetString()) == "cancelled");

  auto gone = json_of(http_request(port, "POST", "/admin/users/alice/disconnect", admin));
  CHECK(gone["disconnected"].GetInt() == 2);
  REQUIRE(a1->wait_closed(std::chrono::seconds(10)));
  REQUIRE(a2->wait_closed(std::chrono::seconds(10)));
  CHECK(a1->close_code() == 1000);
  CHECK(json_of(http_request(port, "GET", "/admin/connections", admin))["total"].GetInt() == 1);
  CHECK(http_request(port, "GET", "/admin/users/nobody", admin).status == 404);
}
