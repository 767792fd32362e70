#include "actors/step_errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

#include "encoding/utf8.hpp"

namespace aw::actors {
namespace {

constexpr caf::atom_value status_category = caf::atom("awstatus");
constexpr caf::atom_value cluster_category = caf::atom("awcluster");
constexpr std::size_t max_message_bytes = 4096;  // a remote error's text, for the log

// CAF 0.17 takes code 0 for "no error" (and drops the category), so the byte
// on the wire is the protocol::error_code plus one.
std::uint8_t code_byte(protocol::error_code code) {
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(code) + 1);
}

std::optional<protocol::error_code> code_of(std::uint8_t byte) {
  if (byte == 0 || byte > code_byte(protocol::last_error_code)) return std::nullopt;
  return static_cast<protocol::error_code>(byte - 1);
}

// The one string a status or cluster error carries as its context.
std::optional<std::string> context_text(const caf::error& err) {
  if (!err) return std::nullopt;
  const auto& context = err.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return std::nullopt;
}

std::string bounded(std::string text) {
  if (text.size() > max_message_bytes)
    text = std::string(encoding::utf8_cut_bytes(text, max_message_bytes));
  return text;
}

std::string render(const char* category, std::string_view code, const caf::message& context) {
  std::string text = category;
  text += ": ";
  text += code;
  if (context.size() == 1 && context.match_element<std::string>(0))
    text += " (" + context.get_as<std::string>(0) + ")";
  return text;
}

}  // namespace

caf::error make_error(const status& s) {
  return make_error(s.code(), s.message());
}

caf::error make_error(protocol::error_code code, std::string message) {
  return caf::error{code_byte(code), status_category, caf::make_message(std::move(message))};
}

std::optional<status> status_of(const caf::error& err) {
  if (!err || err.category() != status_category) return std::nullopt;
  auto code = code_of(err.code());
  if (!code) return std::nullopt;
  return status(*code, bounded(context_text(err).value_or("")));
}

caf::error make_error(cluster_error x, std::string message) {
  return caf::error{static_cast<std::uint8_t>(x), cluster_category,
                    caf::make_message(std::move(message))};
}

bool is_cluster_error(const caf::error& err) {
  return err && err.category() == cluster_category;
}

bool is_invalid_reply(const caf::error& err) {
  return is_cluster_error(err) &&
         err.code() == static_cast<std::uint8_t>(cluster_error::invalid_reply);
}

std::string error_text(const caf::error& err) {
  if (auto s = status_of(err)) return s->message();
  if (auto text = context_text(err)) return bounded(std::move(*text));
  return caf::to_string(err);
}

void add_error_categories(caf::actor_system_config& cfg) {
  cfg.add_error_category(status_category, [](std::uint8_t code, caf::atom_value,
                                             const caf::message& context) {
    auto known = code_of(code);
    return render("awstatus",
                  known ? std::string(protocol::to_string(*known)) : std::to_string(code), context);
  });
  cfg.add_error_category(
      cluster_category, [](std::uint8_t code, caf::atom_value, const caf::message& context) {
        std::string name = code == static_cast<std::uint8_t>(cluster_error::version_mismatch)
                               ? "version_mismatch"
                           : code == static_cast<std::uint8_t>(cluster_error::invalid_reply)
                               ? "invalid_reply"
                               : std::to_string(code);
        return render("awcluster", name, context);
      });
}

}  // namespace aw::actors
