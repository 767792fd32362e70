// aw::status and aw::result<T>: the one result type (protocol/result.hpp).
#include "protocol/result.hpp"

#include <memory>
#include <string>

#include "test_util.hpp"

namespace aw {
namespace {

result<int> half(int x) {
  if (x % 2 != 0) return {protocol::error_code::validation_failed, std::to_string(x) + " is odd"};
  return x / 2;
}

TEST_CASE("status: ok by default, else a code and a message") {
  status ok;
  CHECK(ok.ok());
  CHECK(ok.message().empty());
  CHECK(to_string(ok) == "ok");
  CHECK(ok == ok_status());

  status failed(protocol::error_code::llm_unavailable, "HTTP 500 from the model");
  CHECK_FALSE(failed.ok());
  CHECK(failed.code() == protocol::error_code::llm_unavailable);
  CHECK(failed.message() == "HTTP 500 from the model");
  CHECK(to_string(failed) == "LLM_UNAVAILABLE: HTTP 500 from the model");
  CHECK(failed != ok);
  CHECK(failed != status(protocol::error_code::render_failed, "HTTP 500 from the model"));
  CHECK(to_string(status(protocol::error_code::timeout, "")) == "TIMEOUT");
}

TEST_CASE("status: copies are deep, a moved-from status is ok") {
  status failed(protocol::error_code::render_failed, "gnuplot said no");
  status copy = failed;
  CHECK(copy == failed);
  status other(protocol::error_code::timeout, "late");
  other = copy;
  CHECK(other == failed);
  status moved = std::move(copy);
  CHECK(moved == failed);
  CHECK(copy.ok());  // NOLINT(bugprone-use-after-move): the documented state
  CHECK(std::move(moved).message() == "gnuplot said no");
}

TEST_CASE("result: a value or a failed status") {
  auto even = half(8);
  REQUIRE(even.ok());
  CHECK(static_cast<bool>(even));
  CHECK(*even == 4);
  CHECK(even.value() == 4);
  CHECK(even.error().ok());

  auto odd = half(7);
  CHECK_FALSE(odd.ok());
  CHECK_FALSE(static_cast<bool>(odd));
  CHECK(odd.code() == protocol::error_code::validation_failed);
  CHECK(odd.message() == "7 is odd");
  CHECK(odd.error() == status(protocol::error_code::validation_failed, "7 is odd"));

  result<std::string> from_status = status(protocol::error_code::not_found, "no such chart");
  CHECK_FALSE(from_status.ok());
  CHECK(from_status.code() == protocol::error_code::not_found);
}

TEST_CASE("result: holds move-only values and moves them out") {
  result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  REQUIRE(r.ok());
  CHECK(**r == 42);
  auto owned = std::move(r).value();
  CHECK(*owned == 42);
}

}  // namespace
}  // namespace aw
