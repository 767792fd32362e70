#include <doctest/doctest.h>

#include "gateway/handshake.hpp"

using aw::gateway::parse_handshake;

TEST_CASE("both URL forms parse") {
  auto q = parse_handshake("/ws?user_id=u-1&session_id=s.1&last_seq=41&epoch=e-7f3a&token=t");
  REQUIRE(q);
  CHECK(q->user_id == "u-1");
  CHECK(q->session_id == "s.1");
  CHECK(*q->last_seq == 41);
  CHECK(q->epoch == "e-7f3a");
  CHECK(q->token == "t");
  auto p = parse_handshake("/ws/u%40x/s1?last_seq=0");
  REQUIRE(p);
  CHECK(p->user_id == "u@x");
  CHECK(*p->last_seq == 0);
}

TEST_CASE("bad handshakes are refused with a reason") {
  for (const char* bad :
       {"/ws?user_id=bad+user&session_id=s", "/ws?user_id=bad%20user&session_id=s",
        "/ws?session_id=s", "/ws?user_id=u", "/ws?user_id=&session_id=s",
        "/ws?user_id=u&session_id=a%2Fb", "/ws/u/s/extra", "/ws/u", "/other?user_id=u&session_id=s",
        "/ws?user_id=u&session_id=s&last_seq=-1", "/ws?user_id=u&session_id=s&last_seq=x",
        "/ws?user_id=u%zz&session_id=s"}) {
    auto r = parse_handshake(bad);
    REQUIRE_MESSAGE(!r, bad);
    CHECK_MESSAGE(r.code() == aw::protocol::error_code::validation_failed, bad);
    CHECK_MESSAGE(!r.message().empty(), bad);
  }
  CHECK(!parse_handshake("/ws?user_id=" + std::string(129, 'u') + "&session_id=s").ok());
  CHECK(parse_handshake("/ws?user_id=" + std::string(128, 'u') + "&session_id=s").ok());
}
