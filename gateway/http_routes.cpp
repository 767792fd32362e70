#include "gateway/http_routes.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace aw::gateway {

constexpr const char* service_version = "0.1.0";

std::string health_json(const health_figures& h) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("status");
  w.String("healthy");
  w.Key("service");
  w.String("agentwire");
  w.Key("version");
  w.String(service_version);
  w.Key("node");
  w.String(h.node.c_str());
  w.Key("active_connections");
  w.Int64(h.active_connections);
  w.Key("active_users");
  w.Int64(h.active_users);
  w.Key("active_runs");
  w.Int64(h.active_runs);
  w.Key("uptime_s");
  w.Double(h.uptime_s);
  w.EndObject();
  return buf.GetString();
}

std::string error_json(const std::string& message) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error");
  w.String(message.c_str());
  w.EndObject();
  return buf.GetString();
}

std::string chart_id_from_path(const std::string& path) {
  const std::string prefix = "/charts/";
  if (path.compare(0, prefix.size(), prefix) != 0) return "";
  std::string id = path.substr(prefix.size());
  if (id.empty() || id.size() > 100) return "";
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return "";
  }
  return id;
}

}  // namespace aw::gateway
