// PNG encoding of a cairo RGB24 image with libspng: 8-bit RGB, zlib level 1,
// no row filters. Measured on our 800x500 charts (TOOLCHAIN.md, second round):
// ~2.4 ms and about pngcairo's file size, where cairo's own PNG writer (zlib
// default level, adaptive filters) takes ~8 ms.
#pragma once

#include <string>
#include <vector>

namespace aw::render {

// `pixels` holds `height` rows of `stride` bytes, one native-endian
// 0x00RRGGBB word a pixel. `scratch` is reused between calls (the RGB copy).
// False (and *error) when libspng fails.
bool encode_png_rgb24(const unsigned char* pixels, int stride, int width, int height,
                      std::vector<unsigned char>& scratch, std::string& out, std::string* error);

}  // namespace aw::render
