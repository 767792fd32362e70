#include "render/fast_png.hpp"

#include <libdeflate.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace aw::render {
namespace {

constexpr unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

void put_u32(std::string& out, std::uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(bytes, 4);
}

// Appends a chunk whose data is already at the end of `out` (the last `size`
// bytes) after room for its length and type at `at`.
void close_chunk(std::string& out, std::size_t at, const char type[4]) {
  std::size_t size = out.size() - at - 8;
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(size >> (24 - 8 * i));
  std::memcpy(&out[at + 4], type, 4);
  put_u32(out, static_cast<std::uint32_t>(libdeflate_crc32(0, out.data() + at + 4, size + 4)));
}

// ---- A deflate stream of one fixed-Huffman block (RFC 1951, 3.2.6) -------
//
// Greedy matching made for charts: first a run that repeats the pixel before
// (distance 3) or the byte before (distance 1), which after the `up` filter
// covers the long runs of zeros where rows repeat; else the last place the
// next 4 bytes were seen (a hash table of one entry a slot: glyphs and edges
// repeat); else a literal. A 258-byte run costs 13 bits.

struct code {
  std::uint32_t bits = 0;  // already bit-reversed, ready for an LSB-first writer
  int length = 0;
};

std::uint32_t reverse(std::uint32_t v, int n) {
  std::uint32_t r = 0;
  for (int i = 0; i < n; ++i) r |= ((v >> i) & 1u) << (n - 1 - i);
  return r;
}

code fixed_literal(int symbol) {
  if (symbol < 144) return {reverse(0x30 + symbol, 8), 8};
  if (symbol < 256) return {reverse(0x190 + symbol - 144, 9), 9};
  if (symbol < 280) return {reverse(symbol - 256, 7), 7};
  return {reverse(0xC0 + symbol - 280, 8), 8};
}

struct tables {
  std::array<code, 256> literal;
  code end_of_block;
  std::array<code, 259> length;   // length code and its extra bits
  std::array<code, 32> distance;  // fixed distance codes (5 bits)
  tables() {
    for (int s = 0; s < 256; ++s) literal[s] = fixed_literal(s);
    end_of_block = fixed_literal(256);
    static const int base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    for (int n = 3; n <= 258; ++n) {
      int i = 28;
      while (base[i] > n) --i;
      code c = fixed_literal(257 + i);
      c.bits |= static_cast<std::uint32_t>(n - base[i]) << c.length;
      c.length += extra[i];
      length[n] = c;
    }
    for (int d = 0; d < 32; ++d) distance[d] = {reverse(static_cast<std::uint32_t>(d), 5), 5};
  }
};

const tables& fixed_tables() {
  static const tables t;
  return t;
}

class bit_writer {
 public:
  explicit bit_writer(unsigned char* out) : out_(out) {}
  // At most 32 bits at once.
  void put(std::uint32_t bits, int length) {
    buffer_ |= static_cast<std::uint64_t>(bits) << count_;
    count_ += length;
    if (count_ >= 32) {
      for (int i = 0; i < 4; ++i) *out_++ = static_cast<unsigned char>(buffer_ >> (8 * i));
      buffer_ >>= 32;
      count_ -= 32;
    }
  }
  unsigned char* finish() {
    while (count_ > 0) {
      *out_++ = static_cast<unsigned char>(buffer_);
      buffer_ >>= 8;
      count_ -= 8;
    }
    return out_;
  }

 private:
  unsigned char* out_;
  std::uint64_t buffer_ = 0;
  int count_ = 0;
};

// How many bytes from `at` repeat the bytes `distance` before them (at most `limit`).
std::size_t run_length(const unsigned char* at, std::size_t distance, std::size_t limit) {
  std::size_t n = 0;
  while (n + 8 <= limit) {
    std::uint64_t a, b;
    std::memcpy(&a, at + n, 8);
    std::memcpy(&b, at + n - distance, 8);
    if (a != b) return n + static_cast<std::size_t>(__builtin_ctzll(a ^ b) / 8);
    n += 8;
  }
  while (n < limit && at[n] == at[n - distance]) ++n;
  return n;
}

void put_match(bit_writer& bits, const tables& t, std::size_t length, std::size_t distance) {
  const code& l = t.length[length];
  auto d = static_cast<std::uint32_t>(distance - 1);
  if (d < 4) {
    bits.put(l.bits | (t.distance[d].bits << l.length), l.length + 5);
    return;
  }
  int top = 31 - __builtin_clz(d);  // d >= 4: top >= 2
  int extra = top - 1;
  auto symbol = static_cast<std::uint32_t>(2 * top + ((d >> extra) & 1));
  bits.put(l.bits, l.length);
  bits.put(t.distance[symbol].bits | ((d & ((1u << extra) - 1)) << 5), 5 + extra);
}

constexpr int kHashBits = 14;
constexpr std::size_t kWindow = 32768;

std::uint32_t hash4(const unsigned char* at) {
  std::uint32_t v;
  std::memcpy(&v, at, 4);
  return (v * 2654435761u) >> (32 - kHashBits);
}

// Deflates `data` into `out` (which must hold deflate_bound(size) bytes);
// returns the end. `seen` has 1 << kHashBits slots.
unsigned char* deflate_runs(const unsigned char* data, std::size_t size, std::uint32_t* seen,
                            unsigned char* out) {
  const tables& t = fixed_tables();
  std::memset(seen, 0xFF, sizeof(std::uint32_t) << kHashBits);
  bit_writer bits(out);
  bits.put(1 | (1 << 1), 3);  // final block, fixed Huffman codes
  std::size_t i = 0;
  for (; i < size && i < 3; ++i) bits.put(t.literal[data[i]].bits, t.literal[data[i]].length);
  while (i < size) {
    std::size_t limit = size - i < 258 ? size - i : 258;
    std::size_t distance = 3;
    std::size_t run = run_length(data + i, 3, limit);
    if (run < limit) {
      std::size_t one = run_length(data + i, 1, limit);
      if (one > run) run = one, distance = 1;
    }
    if (run < 4 && limit >= 4) {
      std::uint32_t& slot = seen[hash4(data + i)];
      std::size_t before = slot;
      slot = static_cast<std::uint32_t>(i);
      if (before < i && i - before <= kWindow) {
        std::size_t far = run_length(data + i, i - before, limit);
        if (far >= 4 && far > run) run = far, distance = i - before;
      }
    }
    if (run >= 3) {
      put_match(bits, t, run, distance);
      i += run;
    } else {
      bits.put(t.literal[data[i]].bits, t.literal[data[i]].length);
      ++i;
    }
  }
  bits.put(t.end_of_block.bits, t.end_of_block.length);
  return bits.finish();
}

// At most 9 bits a byte, plus the block header and end.
std::size_t deflate_bound(std::size_t size) {
  return size + size / 8 + 16;
}

// cairo's unpremultiply (cairo-png.c, unpremultiply_data).
inline std::uint32_t unpremultiply(std::uint32_t channel, std::uint32_t alpha) {
  return (channel * 255 + alpha / 2) / alpha;
}

bool all_opaque(const unsigned char* pixels, int stride, int width, int height) {
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = pixels + static_cast<std::size_t>(y) * stride;
    std::uint32_t all = 0xFFFFFFFFu;
    for (int x = 0; x < width; ++x) {
      std::uint32_t p;
      std::memcpy(&p, row + static_cast<std::size_t>(x) * 4, 4);
      all &= p;
    }
    if ((all >> 24) != 0xFF) return false;
  }
  return true;
}

// One row of cairo words as RGB (or RGBA, un-premultiplied) bytes.
void convert_row(const unsigned char* row, int width, bool alpha, unsigned char* out) {
  for (int x = 0; x < width; ++x) {
    std::uint32_t p;
    std::memcpy(&p, row + static_cast<std::size_t>(x) * 4, 4);
    std::uint32_t r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
    if (alpha) {
      std::uint32_t a = p >> 24;
      if (a == 0) {
        r = g = b = 0;
      } else if (a != 255) {
        r = unpremultiply(r, a), g = unpremultiply(g, a), b = unpremultiply(b, a);
      }
      out[3] = static_cast<unsigned char>(a);
    }
    out[0] = static_cast<unsigned char>(r);
    out[1] = static_cast<unsigned char>(g);
    out[2] = static_cast<unsigned char>(b);
    out += alpha ? 4 : 3;
  }
}

}  // namespace

fast_png_encoder::~fast_png_encoder() = default;

void fast_png_encoder::trim(std::size_t keep_bytes) {
  if (filtered_.capacity() > keep_bytes) std::vector<unsigned char>().swap(filtered_);
  if (rows_.capacity() > keep_bytes) std::vector<unsigned char>().swap(rows_);
}

bool fast_png_encoder::encode(const unsigned char* pixels, int stride, int width, int height,
                              cairo_pixels format, std::string& out, std::string* error) {
  // 2^28 pixels is far beyond any chart we draw (and its buffers fit memory).
  if (!pixels || width <= 0 || height <= 0 ||
      static_cast<unsigned long long>(width) * height > (1ull << 28) ||
      static_cast<long long>(stride) < static_cast<long long>(width) * 4) {
    if (error) *error = "bad image for PNG encoding";
    return false;
  }
  const bool alpha = format == cairo_pixels::argb32 && !all_opaque(pixels, stride, width, height);
  const std::size_t channels = alpha ? 4 : 3;
  const std::size_t row_bytes = static_cast<std::size_t>(width) * channels;
  const auto h = static_cast<std::size_t>(height);

  // Every row `up`-filtered: a row that repeats the one above becomes zeros.
  filtered_.resize(h * (row_bytes + 1));
  rows_.assign(2 * row_bytes, 0);
  unsigned char* previous = rows_.data();
  unsigned char* current = rows_.data() + row_bytes;
  const unsigned char* above = nullptr;
  for (std::size_t y = 0; y < h; ++y) {
    const unsigned char* row = pixels + y * static_cast<std::size_t>(stride);
    unsigned char* line = filtered_.data() + y * (row_bytes + 1);
    line[0] = 2;
    if (above && std::memcmp(above, row, static_cast<std::size_t>(width) * 4) == 0) {
      std::memset(line + 1, 0, row_bytes);
      above = row;
      continue;  // `previous` still holds this row's bytes
    }
    convert_row(row, width, alpha, current);
    for (std::size_t i = 0; i < row_bytes; ++i)
      line[1 + i] = static_cast<unsigned char>(current[i] - previous[i]);
    std::swap(previous, current);
    above = row;
  }

  unsigned char header[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, static_cast<unsigned char>(alpha ? 6 : 2),
                              0, 0, 0};  // 8 bits, RGB(A), deflate, filtering, no interlace
  for (int i = 0; i < 4; ++i) {
    header[i] = static_cast<unsigned char>(static_cast<std::uint32_t>(width) >> (24 - 8 * i));
    header[4 + i] = static_cast<unsigned char>(static_cast<std::uint32_t>(height) >> (24 - 8 * i));
  }
  out.clear();
  out.reserve(64 + deflate_bound(filtered_.size()));
  out.append(reinterpret_cast<const char*>(kSignature), 8);
  std::size_t at = out.size();
  out.append(8, '\0');
  out.append(reinterpret_cast<const char*>(header), sizeof header);
  close_chunk(out, at, "IHDR");

  at = out.size();
  out.append(8, '\0');
  out += '\x78';  // zlib: deflate, 32 KB window
  out += '\x01';  // no dictionary, fastest; (0x7801 % 31 == 0)
  std::size_t start = out.size();
  out.resize(start + deflate_bound(filtered_.size()));
  auto* begin = reinterpret_cast<unsigned char*>(&out[start]);
  seen_.resize(std::size_t{1} << kHashBits);
  unsigned char* end = deflate_runs(filtered_.data(), filtered_.size(), seen_.data(), begin);
  out.resize(start + static_cast<std::size_t>(end - begin));
  put_u32(out,
          static_cast<std::uint32_t>(libdeflate_adler32(1, filtered_.data(), filtered_.size())));
  close_chunk(out, at, "IDAT");

  at = out.size();
  out.append(8, '\0');
  close_chunk(out, at, "IEND");
  return true;
}

}  // namespace aw::render
