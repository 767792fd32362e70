#include <doctest/doctest.h>

#include <string>

#include "auth/jwt.hpp"

using aw::auth::sign_hs256;
using aw::auth::token_rules;
using aw::auth::verify_hs256;

namespace {

const std::string secret = "rules-test-secret-0123456789abcdefgh";
const std::int64_t now = 1800000000;
const char* header = R"({"alg":"HS256","typ":"JWT"})";

std::string token(const std::string& payload) {
  return sign_hs256(secret, header, payload);
}

std::string claims(std::int64_t iat, std::int64_t exp, const std::string& extra = "") {
  return R"({"sub":"alice","iat":)" + std::to_string(iat) + R"(,"exp":)" + std::to_string(exp) +
         extra + "}";
}

}  // namespace

TEST_CASE("token rules: a clock-skew leeway on exp, nbf and iat") {
  auto stale = token(claims(now - 100, now - 10));
  CHECK_FALSE(verify_hs256(secret, stale, now).ok);
  token_rules r;
  r.leeway_s = 30;
  CHECK(verify_hs256(secret, stale, now, r).ok);
  auto early = token(claims(now + 20, now + 600));
  CHECK_FALSE(verify_hs256(secret, early, now).ok);
  CHECK(verify_hs256(secret, early, now, r).ok);
}

TEST_CASE("token rules: AUTH_MAX_TTL_S caps the lifetime, from iat or from now") {
  token_rules r;
  r.max_ttl_s = 3600;
  CHECK(verify_hs256(secret, token(claims(now, now + 3600)), now, r).ok);
  auto longer = verify_hs256(secret, token(claims(now, now + 3601)), now, r);
  CHECK_FALSE(longer.ok);
  CHECK(longer.error.find("AUTH_MAX_TTL_S") != std::string::npos);
  auto no_iat = token(R"({"sub":"alice","exp":)" + std::to_string(now + 7200) + "}");
  CHECK_FALSE(verify_hs256(secret, no_iat, now, r).ok);
}

TEST_CASE("token rules: aud and iss when configured") {
  token_rules r;
  r.audience = "agentwire";
  r.issuer = "https://login.example";
  auto good = token(claims(now, now + 60, R"(,"aud":"agentwire","iss":"https://login.example")"));
  CHECK(verify_hs256(secret, good, now, r).ok);
  auto listed =
      token(claims(now, now + 60, R"(,"aud":["other","agentwire"],"iss":"https://login.example")"));
  CHECK(verify_hs256(secret, listed, now, r).ok);
  auto wrong_aud = token(claims(now, now + 60, R"(,"aud":"other","iss":"https://login.example")"));
  CHECK(verify_hs256(secret, wrong_aud, now, r).error.find("aud") != std::string::npos);
  auto no_iss = token(claims(now, now + 60, R"(,"aud":"agentwire")"));
  CHECK(verify_hs256(secret, no_iss, now, r).error.find("iss") != std::string::npos);
  // Not configured: not checked.
  CHECK(verify_hs256(secret, wrong_aud, now).ok);
}
