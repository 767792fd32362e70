#include "actors/render_key.hpp"

#include <openssl/sha.h>

#include "protocol/server_messages.hpp"

namespace aw::actors {

std::string render_key_text(const render::chart_spec& spec) {
  std::string key;
  key.reserve(256);
  key += protocol::to_string(spec.type);
  key += '|';
  key += protocol::to_string(spec.format);
  key += '|' + std::to_string(spec.width) + 'x' + std::to_string(spec.height);
  key += '|' + spec.theme.name + ',' + spec.theme.primary + ',' + spec.theme.secondary + ',' +
         spec.theme.tertiary;
  // Lengths first, so that no choice of texts can make two specs collide.
  for (const std::string* text : {&spec.title, &spec.x_label, &spec.y_label}) {
    key += '|' + std::to_string(text->size()) + ':';
    key += *text;
  }
  key += '|';
  key += protocol::write_chart_data(spec.data);
  return key;
}

std::string render_key(const render::chart_spec& spec) {
  std::string text = render_key_text(spec);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char hex[] = "0123456789abcdef";
  std::string key(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    key[2 * i] = hex[digest[i] >> 4];
    key[2 * i + 1] = hex[digest[i] & 0xf];
  }
  return key;
}

}  // namespace aw::actors
