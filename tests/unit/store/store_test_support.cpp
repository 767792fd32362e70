#include "store_test_support.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>

namespace aw::test {
namespace {

namespace fs = std::filesystem;

std::string random_suffix() {
  static std::atomic<int> counter{0};
  static const auto seed = std::random_device{}();
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(seed % 100000);
}

std::string read_first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// A server this process started because no CTest fixture gave one; stopped
// when the process ends.
struct own_server {
  std::string state_dir;
  std::string url;
  ~own_server() {
    if (state_dir.empty()) return;
    std::string cmd = "bash '" AW_PG_FIXTURE_SCRIPT "' stop '" + state_dir + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      // Nothing more to do at exit: the script already tried its best.
    }
    std::error_code ec;
    fs::remove_all(state_dir, ec);
  }
};

std::string start_own_server() {
  static own_server server;
  if (!server.url.empty()) return server.url;
  server.state_dir = make_temp_dir("aw-pg-state");
  std::string cmd =
      "timeout 120 bash '" AW_PG_FIXTURE_SCRIPT "' start '" + server.state_dir + "' >&2";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("could not start a PostgreSQL server with " AW_PG_FIXTURE_SCRIPT);
  server.url = read_first_line(fs::path(server.state_dir) / "url");
  return server.url;
}

// postgresql://user@host:port/db
std::string server_url() {
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  if (const char* file = std::getenv("AW_TEST_PG_URL_FILE")) {
    std::string url = read_first_line(file);
    if (url.empty())
      throw std::runtime_error(std::string("no PostgreSQL URL in ") + file +
                               ": did the fixture 'store: start PostgreSQL' fail?");
    return url;
  }
  return start_own_server();
}

}  // namespace

std::string make_temp_dir(const std::string& prefix) {
  fs::path dir = fs::temp_directory_path() / (prefix + "-" + random_suffix());
  fs::create_directories(dir);
  return dir.string();
}

void postgres_exec(const std::string& url, const std::string& sql) {
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"10", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("the test PostgreSQL server at " + url +
                             " does not answer: " + message);
  }
  PGresult* r = PQexec(conn, sql.c_str());
  auto status = PQresultStatus(r);
  bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  std::string message = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + " failed: " + message);
}

std::string fresh_postgres_database() {
  std::string url = server_url();
  std::string name = "aw_t_" + random_suffix();
  postgres_exec(url, "CREATE DATABASE " + name);
  return url.substr(0, url.rfind('/') + 1) + name;
}

sqlite_backend::sqlite_backend() : dir(make_temp_dir("aw-store")) {}

sqlite_backend::~sqlite_backend() {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::unique_ptr<store::history_store> sqlite_backend::open() const {
  return store::open_history_store("", dir);
}

postgres_backend::postgres_backend() : url(fresh_postgres_database()) {}

std::unique_ptr<store::history_store> postgres_backend::open() const {
  return store::open_history_store(url, "/nonexistent");
}

store::history_write started(const std::string& user, const std::string& conversation,
                             const std::string& run, std::int64_t at, const std::string& content) {
  store::history_write w;
  w.what = store::history_write::kind::started;
  w.user_id = user;
  w.conversation_id = conversation;
  w.run_id = run;
  w.correlation_id = "c-" + run;
  w.message_id = "m-" + run;
  w.at_ms = at;
  // A JSON string for content: enough escaping for the tests' texts.
  std::string escaped;
  for (char c : content) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  w.request_json = R"({"content":")" + escaped + R"(","format":"png"})";
  return w;
}

store::history_write completed(const std::string& user, const std::string& conversation,
                               const std::string& run, std::int64_t at, const std::string& status,
                               const std::string& response) {
  store::history_write w;
  w.what = store::history_write::kind::completed;
  w.user_id = user;
  w.conversation_id = conversation;
  w.run_id = run;
  w.correlation_id = "c-" + run;
  w.message_id = "m-" + run;
  w.at_ms = at;
  w.status = status;
  w.response_json = response;
  return w;
}

}  // namespace aw::test
