#include "support/ws_client.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <asio.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

namespace aw::test {

using client_t = websocketpp::client<websocketpp::config::asio_client>;

std::string frame::type() const {
  if (!json || !json->IsObject() || !json->HasMember("type") || !(*json)["type"].IsString())
    return "";
  return (*json)["type"].GetString();
}

struct ws_client::impl {
  client_t client;
  websocketpp::connection_hdl hdl;
  std::thread io_thread;
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::vector<frame> frames;
  bool opened = false;
  bool failed = false;
  bool closed = false;
  int close_code = 0;
  int http_status = 0;
  bool io_done = false;  // run() returned: no handler holds a connection any more
};

ws_client::ws_client(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

ws_client::~ws_client() {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  bool open = impl_->opened && !impl_->closed;
  lock.unlock();
  if (open) {
    websocketpp::lib::error_code ec;
    impl_->client.close(impl_->hdl, websocketpp::close::status::normal, "", ec);
  }
  // Let run() finish on its own: stopping the io_service with handlers still
  // queued would free the sockets after the io_service (use after free).
  lock.lock();
  bool done =
      impl_->changed.wait_for(lock, std::chrono::seconds(5), [this] { return impl_->io_done; });
  lock.unlock();
  if (!done) impl_->client.stop();
  if (impl_->io_thread.joinable()) impl_->io_thread.join();
}

std::unique_ptr<ws_client> ws_client::connect(const std::string& url, int* http_status,
                                              std::chrono::milliseconds timeout) {
  auto p = std::make_unique<impl>();
  auto* raw = p.get();
  raw->client.clear_access_channels(websocketpp::log::alevel::all);
  raw->client.clear_error_channels(websocketpp::log::elevel::all);
  raw->client.init_asio();
  raw->client.set_open_handler([raw](websocketpp::connection_hdl) {
    std::lock_guard<std::mutex> g(raw->mutex);
    raw->opened = true;
    raw->changed.notify_all();
  });
  raw->client.set_fail_handler([raw](websocketpp::connection_hdl h) {
    auto con = raw->client.get_con_from_hdl(h);
    std::lock_guard<std::mutex> g(raw->mutex);
    raw->failed = true;
    raw->http_status = con->get_response_code();
    raw->changed.notify_all();
  });
  raw->client.set_close_handler([raw](websocketpp::connection_hdl h) {
    auto con = raw->client.get_con_from_hdl(h);
    std::lock_guard<std::mutex> g(raw->mutex);
    raw->closed = true;
    raw->close_code = con->get_remote_close_code();
    raw->changed.notify_all();
  });
  raw->client.set_message_handler([raw](websocketpp::connection_hdl, client_t::message_ptr m) {
    frame f;
    f.text = m->get_payload();
    auto doc = std::make_shared<rapidjson::Document>();
    doc->Parse(f.text.c_str(), f.text.size());
    if (!doc->HasParseError()) f.json = std::move(doc);
    std::lock_guard<std::mutex> g(raw->mutex);
    raw->frames.push_back(std::move(f));
    raw->changed.notify_all();
  });
  websocketpp::lib::error_code ec;
  auto con = raw->client.get_connection(url, ec);
  if (ec) return nullptr;
  con->set_max_message_size(256u << 20);
  raw->hdl = con->get_handle();
  raw->client.connect(con);
  con.reset();  // the client owns it now; it must not outlive the client's io_service
  raw->io_thread = std::thread([raw] {
    raw->client.run();
    std::lock_guard<std::mutex> g(raw->mutex);
    raw->io_done = true;
    raw->changed.notify_all();
  });
  std::unique_lock<std::mutex> lock(raw->mutex);
  raw->changed.wait_for(lock, timeout, [raw] { return raw->opened || raw->failed || raw->closed; });
  bool ok = raw->opened;
  if (http_status) *http_status = raw->http_status;
  lock.unlock();
  std::unique_ptr<ws_client> c(new ws_client(std::move(p)));
  if (!ok) return nullptr;
  return c;
}

void ws_client::send(const std::string& text) {
  websocketpp::lib::error_code ec;
  impl_->client.send(impl_->hdl, text, websocketpp::frame::opcode::text, ec);
}

void ws_client::close(int code) {
  websocketpp::lib::error_code ec;
  impl_->client.close(impl_->hdl, static_cast<websocketpp::close::status::value>(code), "", ec);
}

bool ws_client::wait_for(const predicate& pred, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->frames); });
}

bool ws_client::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->closed || impl_->failed; });
}

std::vector<frame> ws_client::frames() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  return impl_->frames;
}

int ws_client::close_code() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  return impl_->close_code;
}

bool ws_client::is_open() const {
  std::lock_guard<std::mutex> g(impl_->mutex);
  return impl_->opened && !impl_->closed;
}

int http_get(int port, const std::string& path, std::string* body, std::string* content_type) {
  asio::io_context io;
  asio::ip::tcp::socket sock(io);
  asio::error_code ec;
  sock.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
  if (ec) return -1;
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  asio::write(sock, asio::buffer(req), ec);
  std::string resp;
  char buf[8192];
  for (;;) {
    std::size_t n = sock.read_some(asio::buffer(buf), ec);
    resp.append(buf, n);
    if (ec) break;
  }
  auto header_end = resp.find("\r\n\r\n");
  if (header_end == std::string::npos || resp.size() < 12) return -1;
  int status = std::stoi(resp.substr(9, 3));
  std::string headers = resp.substr(0, header_end);
  if (body) *body = resp.substr(header_end + 4);
  if (content_type) {
    content_type->clear();
    auto pos = headers.find("Content-Type: ");
    if (pos != std::string::npos) {
      auto end = headers.find("\r\n", pos);
      *content_type = headers.substr(pos + 14, end - pos - 14);
    }
  }
  return status;
}

}  // namespace aw::test
