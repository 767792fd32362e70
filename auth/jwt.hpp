// HS256 JSON Web Tokens (RFC 7519) for the handshake and HTTP auth (PROTOCOL.md
// sections 1 and 8). Pure functions: no I/O, nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aw::auth {

// Tokens longer than this are rejected before any decoding.
inline constexpr std::size_t max_token_bytes = 4096;

// Base64url without padding (RFC 4648 section 5), as JWTs use it.
std::string base64url_encode(std::string_view bytes);
// Strict: only [A-Za-z0-9_-], no '=' padding, no impossible length, and the
// unused low bits of the last character must be zero. nullopt on any error.
std::optional<std::string> base64url_decode(std::string_view text);

// Builds `b64(header_json).b64(payload_json).b64(HMAC-SHA256)` from the given
// JSON texts as they are. mint_hs256 is the normal way to make a token; this
// is for callers (and tests) that need a particular header or payload.
std::string sign_hs256(const std::string& secret, std::string_view header_json,
                       std::string_view payload_json);

// Token for `subject` with header {"alg":"HS256","typ":"JWT"} and payload
// {"sub":subject,"iat":issued,"exp":expires}.
std::string mint_hs256(const std::string& secret, const std::string& subject,
                       std::int64_t expires_unix_s, std::int64_t issued_unix_s);

struct token_check {
  bool ok = false;
  std::string subject;              // the `sub` claim when ok
  std::int64_t expires_unix_s = 0;  // the `exp` claim when ok
  std::string error;                // why not, when !ok; never contains the secret
};

// What a deployment asks of its tokens beyond a valid signature.
struct token_rules {
  std::string audience;        // non-empty: `aud` must be it (or an array holding it)
  std::string issuer;          // non-empty: `iss` must be it
  std::int64_t max_ttl_s = 0;  // > 0: exp - iat (or exp - now without iat) at most this
  std::int64_t leeway_s = 0;   // clock skew allowed on exp, nbf and iat
};

// Full check: size, three parts, strict base64url, header alg == "HS256",
// constant-time signature comparison, payload with `sub` (1..128 chars),
// `exp` > now and, when present, `nbf` <= now (both within the leeway), and
// the rules above. An empty secret fails.
token_check verify_hs256(const std::string& secret, std::string_view token, std::int64_t now_unix_s,
                         const token_rules& rules = {});

// Only the signature part of verify_hs256: true when the token has three
// parts and its third part is the HMAC-SHA256 of the first two. Claims and
// header are not looked at.
bool signature_valid(const std::string& secret, std::string_view token);

// True when the check succeeded and its subject is exactly `user_id`.
bool user_matches(const token_check& check, std::string_view user_id);

// The token of an `Authorization: Bearer <token>` header value (scheme
// case-insensitive); nullopt for any other scheme or a malformed value.
std::optional<std::string> bearer_token(std::string_view authorization_header);

}  // namespace aw::auth

namespace aw::auth {

// Constant-time equality of a presented credential and the configured one
// (METRICS_TOKEN): the time taken does not tell how many bytes matched.
bool same_secret(std::string_view given, std::string_view expected);

}  // namespace aw::auth
