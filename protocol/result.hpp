// The one result type of operations that can fail (issue #20 item 6), after
// LevelDB's Status: a `status` is ok, or a protocol::error_code with a
// message; a `result<T>` holds a T or a failed status.
//
// Contract:
// - The code is the protocol error code the failure ends as when it reaches a
//   client (VALIDATION_FAILED for a refused handshake, LLM_UNAVAILABLE for an
//   unusable model answer, ...). A caller may still choose another one.
// - The message is operator detail: it goes to the log. What a user sees is
//   chosen where the failure meets the user (users get generic messages).
// - A moved-from status is ok (as LevelDB's); a copy is a deep copy.
// - A result built from a status must be given a failed one; value() of a
//   failed result and code() of an ok status are programming errors (assert).
// - Expected failures (bad input, a refused request, an unusable answer) are
//   results, not exceptions. Exceptions stay for what the caller cannot
//   handle on the spot (store/ throws store_error when its database fails).
//
// Between actors and nodes a failed status travels as a caf::error of its
// own category: actors/step_errors.hpp (protocol/ knows nothing of CAF).
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "protocol/errors.hpp"

namespace aw {

// An ok status is one null pointer (as LevelDB's): the parser returns one per
// field read, so the ok path must cost nothing; a failure allocates once.
class status {
 public:
  status() noexcept = default;  // ok
  status(protocol::error_code code, std::string message)
      : rep_(std::make_unique<rep>(rep{code, std::move(message)})) {}
  status(const status& other) : rep_(other.rep_ ? std::make_unique<rep>(*other.rep_) : nullptr) {}
  status& operator=(const status& other) {
    if (this != &other) rep_ = other.rep_ ? std::make_unique<rep>(*other.rep_) : nullptr;
    return *this;
  }
  status(status&&) noexcept = default;
  status& operator=(status&&) noexcept = default;

  bool ok() const { return rep_ == nullptr; }
  protocol::error_code code() const {
    assert(rep_ != nullptr);
    return rep_->code;
  }
  // Empty when ok.
  const std::string& message() const& { return rep_ ? rep_->message : empty_message(); }
  std::string message() && { return rep_ ? std::move(rep_->message) : std::string(); }

  friend bool operator==(const status& a, const status& b) {
    if (a.ok() || b.ok()) return a.ok() == b.ok();
    return a.rep_->code == b.rep_->code && a.rep_->message == b.rep_->message;
  }
  friend bool operator!=(const status& a, const status& b) { return !(a == b); }

 private:
  struct rep {
    protocol::error_code code;
    std::string message;
  };
  static const std::string& empty_message() {
    static const std::string empty;
    return empty;
  }
  std::unique_ptr<rep> rep_;
};

inline status ok_status() {
  return {};
}

// "CODE: message", or "ok".
inline std::string to_string(const status& s) {
  if (s.ok()) return "ok";
  std::string text(protocol::to_string(s.code()));
  if (!s.message().empty()) text += ": " + s.message();
  return text;
}

template <class T>
class result {
 public:
  result(T value) : value_(std::in_place_index<0>, std::move(value)) {}
  result(status error) : value_(std::in_place_index<1>, std::move(error)) {
    assert(!std::get<1>(value_).ok());
  }
  result(protocol::error_code code, std::string message)
      : value_(std::in_place_index<1>, status(code, std::move(message))) {}

  bool ok() const { return value_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(value_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(value_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(value_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The failure; an ok status when ok().
  status error() const { return ok() ? status{} : std::get<1>(value_); }
  protocol::error_code code() const { return std::get<1>(value_).code(); }
  const std::string& message() const { return std::get<1>(value_).message(); }

 private:
  std::variant<T, status> value_;
};

}  // namespace aw
