#include "encoding/json_writer.hpp"

#include <cmath>
#include <cstdint>

#include "encoding/utf8.hpp"

namespace aw::encoding {

std::string take(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

void write_string(json_writer& w, std::string_view s) {
  if (is_valid_utf8(s)) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  std::string fixed = to_valid_utf8(s);
  w.String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()));
}

void write_number(json_writer& w, double x) {
  constexpr double kTwoTo53 = 9007199254740992.0;
  if (!std::isfinite(x)) {
    w.Null();
  } else if (x == std::trunc(x) && std::fabs(x) < kTwoTo53) {
    w.Int64(static_cast<std::int64_t>(x));
  } else {
    w.Double(x);
  }
}

void write_raw(json_writer& w, std::string_view json, rapidjson::Type type, std::string_view fallback) {
  if (json.empty()) json = fallback;
  w.RawValue(json.data(), json.size(), type);
}

}  // namespace aw::encoding
