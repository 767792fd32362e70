#include "protocol/client_messages.hpp"

namespace aw::protocol {

std::string_view to_string(image_format f) {
  return f == image_format::svg ? "svg" : "png";
}

std::string_view mime_type(image_format f) {
  return f == image_format::svg ? "image/svg+xml" : "image/png";
}

}  // namespace aw::protocol
