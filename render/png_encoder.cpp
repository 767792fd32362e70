#include "render/png_encoder.hpp"

#include <spng.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace aw::render {
namespace {

struct ctx_free {
  void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};

bool fail(std::string* error, const char* what, int code) {
  if (error) *error = std::string("libspng: ") + what + ": " + spng_strerror(code);
  return false;
}

}  // namespace

bool encode_png_rgb24(const unsigned char* pixels, int stride, int width, int height,
                      std::vector<unsigned char>& scratch, std::string& out, std::string* error) {
  if (!pixels || width <= 0 || height <= 0 || stride < width * 4) {
    if (error) *error = "bad image for PNG encoding";
    return false;
  }
  const auto w = static_cast<std::size_t>(width);
  const auto h = static_cast<std::size_t>(height);
  scratch.resize(w * h * 3);
  unsigned char* rgb = scratch.data();
  for (std::size_t y = 0; y < h; ++y) {
    const unsigned char* row = pixels + y * static_cast<std::size_t>(stride);
    for (std::size_t x = 0; x < w; ++x) {
      std::uint32_t p;
      std::memcpy(&p, row + x * 4, 4);
      *rgb++ = static_cast<unsigned char>(p >> 16);
      *rgb++ = static_cast<unsigned char>(p >> 8);
      *rgb++ = static_cast<unsigned char>(p);
    }
  }

  std::unique_ptr<spng_ctx, ctx_free> ctx(spng_ctx_new(SPNG_CTX_ENCODER));
  if (!ctx) {
    if (error) *error = "libspng: cannot create an encoder";
    return false;
  }
  int rc = spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
  if (rc == 0) rc = spng_set_option(ctx.get(), SPNG_FILTER_CHOICE, SPNG_DISABLE_FILTERING);
  if (rc == 0) rc = spng_set_option(ctx.get(), SPNG_IMG_COMPRESSION_LEVEL, 1);
  if (rc != 0) return fail(error, "options", rc);
  spng_ihdr ihdr{};
  ihdr.width = static_cast<std::uint32_t>(width);
  ihdr.height = static_cast<std::uint32_t>(height);
  ihdr.bit_depth = 8;
  ihdr.color_type = SPNG_COLOR_TYPE_TRUECOLOR;
  rc = spng_set_ihdr(ctx.get(), &ihdr);
  if (rc != 0) return fail(error, "header", rc);
  rc = spng_encode_image(ctx.get(), scratch.data(), scratch.size(), SPNG_FMT_PNG,
                         SPNG_ENCODE_FINALIZE);
  if (rc != 0) return fail(error, "encode", rc);
  std::size_t size = 0;
  void* buffer = spng_get_png_buffer(ctx.get(), &size, &rc);
  if (!buffer) return fail(error, "buffer", rc);
  out.assign(static_cast<const char*>(buffer), size);
  std::free(buffer);
  return true;
}

}  // namespace aw::render
