#include "auth/jwt.hpp"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"

namespace aw::auth {
namespace {

constexpr std::size_t sha256_bytes = 32;
constexpr std::size_t max_subject_chars = 128;
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// HMAC-SHA256 of `data`; an empty string if OpenSSL fails.
std::string hmac_sha256(const std::string& secret, std::string_view data) {
  if (secret.size() > static_cast<std::size_t>(INT_MAX)) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &out_len) == nullptr ||
      out_len != sha256_bytes)
    return {};
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

struct token_parts {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // "header.payload"
};

// Exactly three dot-separated parts; nullopt otherwise.
std::optional<token_parts> split(std::string_view token) {
  std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  token_parts p;
  p.header = token.substr(0, first);
  p.payload = token.substr(first + 1, second - first - 1);
  p.signature = token.substr(second + 1);
  p.signing_input = token.substr(0, second);
  return p;
}

// Constant-time comparison of the expected HMAC with the decoded signature.
bool signature_matches(const std::string& secret, const token_parts& p) {
  if (secret.empty()) return false;
  auto given = base64url_decode(p.signature);
  if (!given || given->size() != sha256_bytes) return false;
  std::string expected = hmac_sha256(secret, p.signing_input);
  if (expected.size() != sha256_bytes) return false;
  return CRYPTO_memcmp(expected.data(), given->data(), sha256_bytes) == 0;
}

// Parses base64url-encoded JSON that must be an object (valid UTF-8, nothing
// after the value).
bool parse_object(std::string_view encoded, rapidjson::Document& doc) {
  auto text = base64url_decode(encoded);
  if (!text) return false;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text->data(), text->size());
  return !doc.HasParseError() && doc.IsObject();
}

// The member `name` of `obj`, or nullptr when absent. A name given twice sets
// *ambiguous: we refuse to guess which one the token's author meant.
const rapidjson::Value* find_member(const rapidjson::Value& obj, std::string_view name,
                                    bool* ambiguous) {
  const rapidjson::Value* found = nullptr;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key != name) continue;
    if (found != nullptr) {
      *ambiguous = true;
      return nullptr;
    }
    found = &it->value;
  }
  return found;
}

// Whether the numeric claim `v` (seconds since the epoch) is after `now`.
bool later_than(const rapidjson::Value& v, std::int64_t now) {
  if (v.IsInt64()) return v.GetInt64() > now;
  if (v.IsUint64()) return true;  // beyond int64: the far future
  return v.GetDouble() > static_cast<double>(now);
}

token_check fail(std::string error) {
  token_check c;
  c.error = std::move(error);
  return c;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(acc >> bits) & 0x3F]);
    }
    acc &= (1u << bits) - 1;
  }
  if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count gives this length
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int value = base64url_value(c);
    if (value < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return std::nullopt;  // leftover bits must be zero (one encoding per value)
  return out;
}

std::string sign_hs256(const std::string& secret, std::string_view header_json,
                       std::string_view payload_json) {
  std::string signing_input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  return signing_input + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

std::string mint_hs256(const std::string& secret, const std::string& subject,
                       std::int64_t expires_unix_s, std::int64_t issued_unix_s) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer writer(buffer);
  writer.StartObject();
  writer.Key("sub");
  encoding::write_string(writer, subject);
  writer.Key("iat");
  writer.Int64(issued_unix_s);
  writer.Key("exp");
  writer.Int64(expires_unix_s);
  writer.EndObject();
  return sign_hs256(secret, R"({"alg":"HS256","typ":"JWT"})",
                    std::string_view(buffer.GetString(), buffer.GetSize()));
}

bool signature_valid(const std::string& secret, std::string_view token) {
  if (token.size() > max_token_bytes) return false;
  auto parts = split(token);
  return parts && signature_matches(secret, *parts);
}

token_check verify_hs256(const std::string& secret, std::string_view token, std::int64_t now_unix_s,
                         const token_rules& rules) {
  if (secret.empty()) return fail("no secret configured");
  if (token.size() > max_token_bytes) return fail("token too large");
  auto parts = split(token);
  if (!parts) return fail("token must have three dot-separated parts");

  rapidjson::Document header;
  if (!parse_object(parts->header, header)) return fail("token header is not base64url JSON");
  bool ambiguous = false;
  const rapidjson::Value* alg = find_member(header, "alg", &ambiguous);
  if (ambiguous) return fail("token header has duplicate alg");
  if (alg == nullptr || !alg->IsString() ||
      std::string_view(alg->GetString(), alg->GetStringLength()) != "HS256")
    return fail("token alg must be HS256");
  if (header.HasMember("crit")) return fail("token header has unsupported crit");

  if (!signature_matches(secret, *parts)) return fail("bad token signature");

  rapidjson::Document payload;
  if (!parse_object(parts->payload, payload)) return fail("token payload is not base64url JSON");
  const rapidjson::Value* sub = find_member(payload, "sub", &ambiguous);
  const rapidjson::Value* exp = find_member(payload, "exp", &ambiguous);
  const rapidjson::Value* nbf = find_member(payload, "nbf", &ambiguous);
  const rapidjson::Value* iat = find_member(payload, "iat", &ambiguous);
  const rapidjson::Value* aud = find_member(payload, "aud", &ambiguous);
  const rapidjson::Value* iss = find_member(payload, "iss", &ambiguous);
  if (ambiguous) return fail("token payload has duplicate claims");
  if (sub == nullptr || !sub->IsString() || sub->GetStringLength() == 0 ||
      sub->GetStringLength() > max_subject_chars)
    return fail("token sub must be a string of 1-128 characters");
  if (exp == nullptr || !exp->IsNumber()) return fail("token exp missing or not a number");
  const std::int64_t leeway = std::max<std::int64_t>(0, rules.leeway_s);
  if (!later_than(*exp, now_unix_s - leeway)) return fail("token expired");
  if (nbf != nullptr) {
    if (!nbf->IsNumber()) return fail("token nbf is not a number");
    if (later_than(*nbf, now_unix_s + leeway)) return fail("token not yet valid (nbf)");
  }
  if (iat != nullptr && !iat->IsNumber()) return fail("token iat is not a number");
  if (iat != nullptr && later_than(*iat, now_unix_s + leeway))
    return fail("token issued in the future (iat)");
  if (rules.max_ttl_s > 0) {
    double from = iat != nullptr ? iat->GetDouble() : static_cast<double>(now_unix_s);
    if (exp->GetDouble() - from > static_cast<double>(rules.max_ttl_s))
      return fail("token lifetime over AUTH_MAX_TTL_S (" + std::to_string(rules.max_ttl_s) + " s)");
  }
  if (!rules.issuer.empty() &&
      (iss == nullptr || !iss->IsString() ||
       std::string_view(iss->GetString(), iss->GetStringLength()) != rules.issuer))
    return fail("token iss is not the expected issuer");
  if (!rules.audience.empty()) {
    auto is_ours = [&rules](const rapidjson::Value& v) {
      return v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == rules.audience;
    };
    bool ok = false;
    if (aud != nullptr && aud->IsArray()) {
      for (const auto& a : aud->GetArray()) ok = ok || is_ours(a);
    } else if (aud != nullptr) {
      ok = is_ours(*aud);
    }
    if (!ok) return fail("token aud is not this service's audience");
  }

  token_check ok;
  ok.ok = true;
  ok.subject.assign(sub->GetString(), sub->GetStringLength());
  // exp is later than now (checked above); a huge value is capped, not wrapped.
  double e = exp->GetDouble();
  ok.expires_unix_s =
      e >= 9.0e15 ? static_cast<std::int64_t>(9.0e15) : static_cast<std::int64_t>(e);
  return ok;
}

bool user_matches(const token_check& check, std::string_view user_id) {
  return check.ok && !user_id.empty() && check.subject == user_id;
}

std::optional<std::string> bearer_token(std::string_view value) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);

  constexpr std::string_view scheme = "bearer";
  if (value.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != scheme[i]) return std::nullopt;
  }
  value.remove_prefix(scheme.size());
  if (!is_space(value.front())) return std::nullopt;  // "Bearerx ..." is another scheme
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  for (char c : value)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return std::nullopt;
  return std::string(value);
}

}  // namespace aw::auth

namespace aw::auth {

bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  // Compare digests: equal length whatever was given, and no early exit.
  unsigned char a[SHA256_DIGEST_LENGTH];
  unsigned char b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(expected.data()), expected.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

}  // namespace aw::auth
