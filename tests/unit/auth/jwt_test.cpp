#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "auth/jwt.hpp"

using namespace aw::auth;

namespace {

constexpr std::int64_t now = 1700000000;
const std::string secret = "test-secret-0123456789";
const std::string hs256_header = R"({"alg":"HS256","typ":"JWT"})";

std::string with_payload(const std::string& payload_json) {
  return sign_hs256(secret, hs256_header, payload_json);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("mint then verify round-trips the subject") {
  std::string token = mint_hs256(secret, "alice@example.com", now + 3600, now);
  CHECK(std::count(token.begin(), token.end(), '.') == 2);
  auto check = verify_hs256(secret, token, now);
  CHECK(check.ok);
  CHECK(check.error.empty());
  CHECK(check.subject == "alice@example.com");
  CHECK(user_matches(check, "alice@example.com"));
  CHECK_FALSE(user_matches(check, "bob"));
  CHECK_FALSE(user_matches(check, ""));
  CHECK(signature_valid(secret, token));
}

TEST_CASE("minted header and payload are the documented JSON") {
  std::string token = mint_hs256(secret, "u1", 200, 100);
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  CHECK(base64url_decode(token.substr(0, first)) == hs256_header);
  CHECK(base64url_decode(token.substr(first + 1, second - first - 1)) ==
        std::string(R"({"sub":"u1","iat":100,"exp":200})"));
}

TEST_CASE("a failed check does not match any user") {
  token_check failed;
  failed.subject = "alice";
  CHECK_FALSE(user_matches(failed, "alice"));
}

TEST_CASE("wrong secret fails") {
  std::string token = mint_hs256(secret, "alice", now + 60, now);
  auto check = verify_hs256("another-secret", token, now);
  CHECK_FALSE(check.ok);
  CHECK(check.subject.empty());
  CHECK(contains(check.error, "signature"));
  CHECK_FALSE(contains(check.error, secret));
  CHECK_FALSE(signature_valid("another-secret", token));
}

TEST_CASE("empty secret never verifies") {
  std::string token = mint_hs256("", "alice", now + 60, now);
  CHECK_FALSE(verify_hs256("", token, now).ok);
  CHECK_FALSE(signature_valid("", token));
}

TEST_CASE("tampered payload fails") {
  std::string token = mint_hs256(secret, "alice", now + 60, now);
  auto pos = token.find('.') + 3;
  token[pos] = token[pos] == 'A' ? 'B' : 'A';
  auto check = verify_hs256(secret, token, now);
  CHECK_FALSE(check.ok);
  CHECK(contains(check.error, "signature"));
  CHECK_FALSE(signature_valid(secret, token));
}

TEST_CASE("tampered signature fails") {
  std::string token = mint_hs256(secret, "alice", now + 60, now);
  token[token.size() - 3] = token[token.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(verify_hs256(secret, token, now).ok);
}

TEST_CASE("alg none is rejected, signed or not") {
  std::string payload = R"({"sub":"alice","exp":)" + std::to_string(now + 60) + "}";
  std::string unsigned_token =
      base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + base64url_encode(payload) + ".";
  auto check = verify_hs256(secret, unsigned_token, now);
  CHECK_FALSE(check.ok);
  CHECK(contains(check.error, "alg"));

  std::string signed_none = sign_hs256(secret, R"({"alg":"none"})", payload);
  CHECK_FALSE(verify_hs256(secret, signed_none, now).ok);
}

TEST_CASE("other algorithms and odd headers are rejected") {
  std::string payload = R"({"sub":"alice","exp":)" + std::to_string(now + 60) + "}";
  for (std::string header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"hs256"})", R"({"alg":"RS256"})",
        R"({"typ":"JWT"})", R"({"alg":256})", R"({"alg":"HS256","alg":"none"})",
        R"({"alg":"HS256","crit":["exp"]})", R"(["HS256"])", "not json", R"({"alg":"HS256"} x)"}) {
    CAPTURE(header);
    auto check = verify_hs256(secret, sign_hs256(secret, header, payload), now);
    CHECK_FALSE(check.ok);
  }
  // A header with extra members is fine.
  CHECK(verify_hs256(secret,
                     sign_hs256(secret, R"({"typ":"JWT","kid":"k1","alg":"HS256"})", payload), now)
            .ok);
}

TEST_CASE("expired tokens fail with 'expired'") {
  auto at_now = verify_hs256(secret, mint_hs256(secret, "alice", now, now - 60), now);
  CHECK_FALSE(at_now.ok);
  CHECK(contains(at_now.error, "expired"));
  auto past = verify_hs256(secret, mint_hs256(secret, "alice", now - 1, now - 60), now);
  CHECK_FALSE(past.ok);
  CHECK(contains(past.error, "expired"));
  CHECK(verify_hs256(secret, mint_hs256(secret, "alice", now + 1, now), now).ok);
}

TEST_CASE("exp must be a number, fractional and huge values work") {
  CHECK_FALSE(verify_hs256(secret, with_payload(R"({"sub":"a","exp":"99999999999"})"), now).ok);
  CHECK_FALSE(verify_hs256(secret, with_payload(R"({"sub":"a","exp":null})"), now).ok);
  CHECK(verify_hs256(secret, with_payload(R"({"sub":"a","exp":1700000000.5})"), now).ok);
  CHECK_FALSE(verify_hs256(secret, with_payload(R"({"sub":"a","exp":1699999999.5})"), now).ok);
  CHECK(verify_hs256(secret, with_payload(R"({"sub":"a","exp":18446744073709551615})"), now).ok);
  CHECK(verify_hs256(secret, with_payload(R"({"sub":"a","exp":1e300})"), now).ok);
}

TEST_CASE("nbf in the future fails, in the past passes") {
  std::string exp = std::to_string(now + 600);
  auto future = verify_hs256(
      secret,
      with_payload(R"({"sub":"a","exp":)" + exp + R"(,"nbf":)" + std::to_string(now + 1) + "}"),
      now);
  CHECK_FALSE(future.ok);
  CHECK(contains(future.error, "nbf"));
  CHECK(verify_hs256(
            secret,
            with_payload(R"({"sub":"a","exp":)" + exp + R"(,"nbf":)" + std::to_string(now) + "}"),
            now)
            .ok);
  CHECK_FALSE(
      verify_hs256(secret, with_payload(R"({"sub":"a","exp":)" + exp + R"(,"nbf":"0"})"), now).ok);
}

TEST_CASE("sub must be a 1-128 character string") {
  std::string exp = std::to_string(now + 600);
  auto missing = verify_hs256(secret, with_payload(R"({"exp":)" + exp + "}"), now);
  CHECK_FALSE(missing.ok);
  CHECK(contains(missing.error, "sub"));
  CHECK_FALSE(verify_hs256(secret, with_payload(R"({"sub":"","exp":)" + exp + "}"), now).ok);
  CHECK_FALSE(verify_hs256(secret, with_payload(R"({"sub":42,"exp":)" + exp + "}"), now).ok);
  CHECK_FALSE(
      verify_hs256(secret, with_payload(R"({"sub":"a","sub":"b","exp":)" + exp + "}"), now).ok);
  std::string longest(128, 'x');
  CHECK(verify_hs256(secret, mint_hs256(secret, longest, now + 60, now), now).ok);
  CHECK_FALSE(verify_hs256(secret, mint_hs256(secret, longest + "x", now + 60, now), now).ok);
  CHECK_FALSE(verify_hs256(secret, with_payload("[1,2]"), now).ok);
}

TEST_CASE("wrong number of parts, bad base64 and oversize tokens fail") {
  std::string token = mint_hs256(secret, "alice", now + 60, now);
  std::string two_parts = token.substr(0, token.rfind('.'));
  CHECK_FALSE(verify_hs256(secret, two_parts, now).ok);
  CHECK_FALSE(verify_hs256(secret, token + ".AAAA", now).ok);
  CHECK_FALSE(verify_hs256(secret, "", now).ok);
  CHECK_FALSE(verify_hs256(secret, "..", now).ok);
  CHECK_FALSE(verify_hs256(secret, "abc", now).ok);

  std::string bad_char = token;
  bad_char[2] = '+';  // standard base64, not base64url
  CHECK_FALSE(verify_hs256(secret, bad_char, now).ok);
  CHECK_FALSE(verify_hs256(secret, token + "=", now).ok);
  CHECK_FALSE(verify_hs256(secret, "*" + token, now).ok);

  std::string big_payload = R"({"sub":"alice","exp":)" + std::to_string(now + 60) + R"(,"pad":")" +
                            std::string(4000, 'p') + "\"}";
  std::string oversize = with_payload(big_payload);
  REQUIRE(oversize.size() > max_token_bytes);
  auto check = verify_hs256(secret, oversize, now);
  CHECK_FALSE(check.ok);
  CHECK(contains(check.error, "large"));
  CHECK_FALSE(signature_valid(secret, oversize));
}

TEST_CASE("known vector: jwt.io example signed with 'secret'") {
  // Signature computed with
  //   printf %s 'HEADER.PAYLOAD' | openssl dgst -sha256 -hmac secret -binary | base64 |
  //   tr '+/' '-_' | tr -d '='
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "XbPfbIHMI6arZ3Y922BhjWgQzWXcXNrz0ogtVhfEd2o";
  CHECK(signature_valid("secret", token));
  CHECK_FALSE(signature_valid("Secret", token));
  // The example has no exp, so the full check refuses it after the signature passed.
  auto check = verify_hs256("secret", token, now);
  CHECK_FALSE(check.ok);
  CHECK(contains(check.error, "exp"));
  CHECK(sign_hs256("secret", R"({"alg":"HS256","typ":"JWT"})",
                   R"({"sub":"1234567890","name":"John Doe","iat":1516239022})") == token);
}

TEST_CASE("base64url is strict") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_decode("Zg") == std::string("f"));
  CHECK(base64url_decode("Zm8") == std::string("fo"));
  CHECK(base64url_decode("Zm9v") == std::string("foo"));
  CHECK(base64url_decode("-_8") == std::string("\xfb\xff"));
  CHECK_FALSE(base64url_decode("Zg=="));  // no padding
  CHECK_FALSE(base64url_decode("Zh"));    // non-zero leftover bits
  CHECK_FALSE(base64url_decode("Z"));     // impossible length
  CHECK_FALSE(base64url_decode("Zm+v"));
  CHECK_FALSE(base64url_decode("Zm/v"));
  CHECK_FALSE(base64url_decode("Zm 9v"));
}

TEST_CASE("bearer_token parses the Authorization header") {
  CHECK(bearer_token("Bearer abc.def.ghi") == std::string("abc.def.ghi"));
  CHECK(bearer_token("bearer abc") == std::string("abc"));
  CHECK(bearer_token("BEARER abc") == std::string("abc"));
  CHECK(bearer_token("  Bearer   abc  ") == std::string("abc"));
  CHECK(bearer_token("Bearer\tabc") == std::string("abc"));
  CHECK_FALSE(bearer_token(""));
  CHECK_FALSE(bearer_token("Bearer"));
  CHECK_FALSE(bearer_token("Bearer "));
  CHECK_FALSE(bearer_token("Bearerabc"));
  CHECK_FALSE(bearer_token("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(bearer_token("Bearer abc def"));
  CHECK_FALSE(bearer_token("Token abc"));
}
