#include "protocol/json_read.hpp"

#include <cmath>

#include "encoding/utf8.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/parse.hpp"

namespace aw::protocol::json_read {

using encoding::is_valid_utf8;
using encoding::utf8_prefix;

const value* find(const value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::string item_path(std::string_view path, std::size_t index) {
  std::string p(path);
  p += '[';
  p += std::to_string(index);
  p += ']';
  return p;
}

std::string item_path(std::string_view path, std::size_t index, std::string_view field) {
  std::string p = item_path(path, index);
  p += '.';
  p += field;
  return p;
}

status read_string(const value& v, std::string_view path, std::size_t min_chars,
                   std::size_t max_chars, std::string* out) {
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    std::size_t n = utf8_length(s);
    // RapidJSON 1.1.0 accepts a lone low surrogate escape ("\udc00") and stores
    // it as invalid UTF-8 (ED B0 80), which kParseValidateEncodingFlag misses.
    if (n >= min_chars && n <= max_chars && is_valid_utf8(s)) {
      out->assign(s);
      return {};
    }
  }
  return invalid(std::string(path) + " must be a string of " + std::to_string(min_chars) + ".." +
                 std::to_string(max_chars) + " characters");
}

status read_required_string(const value* v, std::string_view path, std::size_t min_chars,
                            std::size_t max_chars, std::string* out) {
  if (v != nullptr && read_string(*v, path, min_chars, max_chars, out).ok()) return {};
  return invalid(std::string(path) + " is required (string, " + std::to_string(min_chars) + ".." +
                 std::to_string(max_chars) + " chars)");
}

status read_bool(const value& v, std::string_view path, bool* out) {
  if (!v.IsBool()) {
    return invalid(std::string(path) + " must be a boolean");
  }
  *out = v.GetBool();
  return {};
}

status read_integer(const value& v, std::string_view path, std::int64_t min, std::int64_t max,
                    std::int64_t* out) {
  bool ok = false;
  std::int64_t n = 0;
  if (v.IsInt64()) {
    n = v.GetInt64();
    ok = true;
  } else if (v.IsDouble()) {
    // Beyond int64 (or not integral) is out of every range we use.
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      n = static_cast<std::int64_t>(d);
      ok = true;
    }
  }
  if (!ok || n < min || n > max) {
    return invalid(std::string(path) + " must be an integer " + std::to_string(min) + ".." +
                   std::to_string(max));
  }
  *out = n;
  return {};
}

status read_number(const value& v, std::string_view path, double* out) {
  if (!v.IsNumber() || !std::isfinite(v.GetDouble())) {
    return invalid(std::string(path) + " must be a finite number");
  }
  *out = v.GetDouble();
  return {};
}

status check_array(const value& v, std::string_view path, std::size_t max_items) {
  if (!v.IsArray()) {
    return invalid(std::string(path) + " must be an array");
  }
  if (v.Empty()) {
    return invalid(std::string(path) + " must not be empty");
  }
  if (v.Size() > max_items) {
    return invalid(std::string(path) + " has more than " + std::to_string(max_items) + " entries");
  }
  return {};
}

status read_numbers(const value& v, std::string_view path, std::vector<double>* out) {
  if (auto failed = check_array(v, path, max_data_points); !failed.ok()) return failed;
  out->clear();
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (!item.IsNumber() || !std::isfinite(item.GetDouble())) {
      return invalid(item_path(path, i) + " must be a finite number");
    }
    out->push_back(item.GetDouble());
  }
  return {};
}

status read_labels(const value& v, std::string_view path, std::vector<std::string>* out) {
  if (auto failed = check_array(v, path, max_data_points); !failed.ok()) return failed;
  out->clear();
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    std::string_view s = item.IsString()
                             ? std::string_view(item.GetString(), item.GetStringLength())
                             : std::string_view();
    if (!item.IsString() || utf8_length(s) > max_label_chars || !is_valid_utf8(s)) {
      return invalid(item_path(path, i) + " must be a string of at most " +
                     std::to_string(max_label_chars) + " characters");
    }
    out->emplace_back(item.GetString(), item.GetStringLength());
  }
  return {};
}

status invalid(std::string message) {
  return {error_code::validation_failed, std::move(message)};
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMaxChars = 64;
  std::string_view prefix = utf8_prefix(text, kMaxChars);
  std::string q = "\"";
  q += prefix;
  if (prefix.size() < text.size()) q += "...";
  q += '"';
  return q;
}

}  // namespace aw::protocol::json_read
