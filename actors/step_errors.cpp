#include "actors/step_errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace aw::actors {
namespace {
constexpr caf::atom_value cluster_category = caf::atom("awcluster");
}

caf::error make_error(cluster_error x, std::string message) {
  return caf::error{static_cast<std::uint8_t>(x), cluster_category,
                    caf::make_message(std::move(message))};
}

bool is_cluster_error(const caf::error& err) {
  return err.category() == cluster_category;
}

bool is_worker_lost(const caf::error& err) {
  return is_cluster_error(err) &&
         err.code() == static_cast<std::uint8_t>(cluster_error::worker_lost);
}

bool is_invalid_reply(const caf::error& err) {
  return is_cluster_error(err) &&
         err.code() == static_cast<std::uint8_t>(cluster_error::invalid_reply);
}

std::string error_text(const caf::error& err) {
  const auto& context = err.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return caf::to_string(err);
}

}  // namespace aw::actors
