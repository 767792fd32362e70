#include "render/svg_rasteriser.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cstdio>

namespace aw::render {
namespace {

// Images above this many pixels are not kept between draws (a 4000x4000
// chart would otherwise hold 64 MB per render worker).
constexpr long long kKeepPixels = 2'000'000;

}  // namespace

svg_rasteriser::~svg_rasteriser() {
  if (surface_) cairo_surface_destroy(surface_);
}

bool svg_rasteriser::ensure_surface(int width, int height, std::string* error) {
  if (surface_ && width_ == width && height_ == height) return true;
  if (surface_) cairo_surface_destroy(surface_);
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  width_ = width;
  height_ = height;
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    if (error)
      *error = std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface_));
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    width_ = height_ = 0;
    return false;
  }
  return true;
}

bool svg_rasteriser::draw(std::string_view svg, int width, int height, std::uint32_t background,
                          std::string* error) {
  if (width <= 0 || height <= 0) {
    if (error) *error = "bad image size";
    return false;
  }
  // A big image from the last call is dropped rather than kept.
  if (surface_ && static_cast<long long>(width_) * height_ > kKeepPixels &&
      (width_ != width || height_ != height)) {
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
  }
  if (!ensure_surface(width, height, error)) return false;

  GError* gerror = nullptr;
  RsvgHandle* handle =
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &gerror);
  if (!handle) {
    if (error) *error = std::string("librsvg: ") + (gerror ? gerror->message : "cannot parse SVG");
    if (gerror) g_error_free(gerror);
    return false;
  }
  cairo_t* cr = cairo_create(surface_);
  // Painted first so that nothing of the previous chart (another user's) can
  // show through where the SVG leaves the image uncovered.
  cairo_set_source_rgb(cr, ((background >> 16) & 0xFF) / 255.0, ((background >> 8) & 0xFF) / 255.0,
                       (background & 0xFF) / 255.0);
  cairo_paint(cr);
  RsvgRectangle viewport{0, 0, static_cast<double>(width), static_cast<double>(height)};
  gboolean drawn = rsvg_handle_render_document(handle, cr, &viewport, &gerror);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  g_object_unref(handle);
  cairo_surface_flush(surface_);
  if (!drawn || status != CAIRO_STATUS_SUCCESS) {
    if (error)
      *error = std::string("librsvg: ") +
               (gerror ? gerror->message
                       : (status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(status)
                                                         : "cannot draw SVG"));
    if (gerror) g_error_free(gerror);
    return false;
  }
  return true;
}

const unsigned char* svg_rasteriser::pixels() const {
  return surface_ ? cairo_image_surface_get_data(surface_) : nullptr;
}

int svg_rasteriser::stride() const {
  return surface_ ? cairo_image_surface_get_stride(surface_) : 0;
}

std::string shift_text_baselines(std::string_view svg) {
  static const std::string_view tag = "<text>";
  char shifted[40];
  std::snprintf(shifted, sizeof shifted, "<text y=\"%gem\">", kRasterBaselineShiftEm);
  std::string out;
  out.reserve(svg.size() + svg.size() / 50);
  std::size_t from = 0;
  for (;;) {
    std::size_t at = svg.find(tag, from);
    if (at == std::string_view::npos) break;
    out.append(svg.substr(from, at - from));
    out += shifted;
    from = at + tag.size();
  }
  out.append(svg.substr(from));
  return out;
}

}  // namespace aw::render
