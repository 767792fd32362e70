// A shared library preloaded (LD_PRELOAD) into our gnuplot child processes
// for PNG_PATH=pngcairo-fast: it replaces cairo's PNG writer, which gnuplot's
// pngcairo terminal calls once per chart, with fast_png_encoder. gnuplot still
// draws every pixel with cairo exactly as before; only the encoding changes
// (cairo's writer, libpng with zlib's default level and adaptive filters, is
// ~90% of a pngcairo chart's CPU). Anything but a plain RGB24 / ARGB32 image
// surface goes to cairo's own writer.
#include <cairo.h>
#include <dlfcn.h>

#include <cstdio>
#include <string>

#include "render/fast_png.hpp"

namespace {

using stream_writer = cairo_status_t (*)(cairo_surface_t*, cairo_write_func_t, void*);
using file_writer = cairo_status_t (*)(cairo_surface_t*, const char*);

aw::render::fast_png_encoder& encoder() {
  static aw::render::fast_png_encoder instance;  // gnuplot draws on one thread
  return instance;
}

// The PNG of `surface` in `png`; false when it is not an image we encode.
bool encode(cairo_surface_t* surface, std::string& png) {
  if (!surface || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_get_type(surface) != CAIRO_SURFACE_TYPE_IMAGE)
    return false;
  cairo_format_t format = cairo_image_surface_get_format(surface);
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24) return false;
  cairo_surface_flush(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  bool ok = encoder().encode(data, cairo_image_surface_get_stride(surface),
                             cairo_image_surface_get_width(surface),
                             cairo_image_surface_get_height(surface),
                             format == CAIRO_FORMAT_ARGB32 ? aw::render::cairo_pixels::argb32
                                                           : aw::render::cairo_pixels::rgb24,
                             png);
  encoder().trim(16u << 20);
  return ok;
}

cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
  return std::fwrite(data, 1, length, static_cast<std::FILE*>(closure)) == length
             ? CAIRO_STATUS_SUCCESS
             : CAIRO_STATUS_WRITE_ERROR;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) cairo_status_t cairo_surface_write_to_png_stream(
    cairo_surface_t* surface, cairo_write_func_t write, void* closure) {
  std::string png;
  if (write && encode(surface, png))
    return write(closure, reinterpret_cast<const unsigned char*>(png.data()),
                 static_cast<unsigned int>(png.size()));
  static auto real =
      reinterpret_cast<stream_writer>(dlsym(RTLD_NEXT, "cairo_surface_write_to_png_stream"));
  return real ? real(surface, write, closure) : CAIRO_STATUS_WRITE_ERROR;
}

__attribute__((visibility("default"))) cairo_status_t cairo_surface_write_to_png(
    cairo_surface_t* surface, const char* filename) {
  std::string png;
  if (filename && encode(surface, png)) {
    std::FILE* file = std::fopen(filename, "wb");
    if (!file) return CAIRO_STATUS_WRITE_ERROR;
    cairo_status_t status = write_to_file(file, reinterpret_cast<const unsigned char*>(png.data()),
                                          static_cast<unsigned int>(png.size()));
    if (std::fclose(file) != 0) status = CAIRO_STATUS_WRITE_ERROR;
    return status;
  }
  static auto real = reinterpret_cast<file_writer>(dlsym(RTLD_NEXT, "cairo_surface_write_to_png"));
  return real ? real(surface, filename) : CAIRO_STATUS_WRITE_ERROR;
}

}  // extern "C"
