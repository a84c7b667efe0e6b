// A minimal PNG decoder for what rsvg-convert and chromium write (8-bit RGB or RGBA, not
// interlaced), for tests that look at rendered pixels.
#pragma once

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace w2v::testing {

// A minimal PNG decoder for what rsvg-convert writes: 8-bit RGB or RGBA, not interlaced.
struct Image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::array<std::uint8_t, 4>> pixels;  // RGBA
};

inline std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t{static_cast<std::uint8_t>(s[at])} << 24) |
         (std::uint32_t{static_cast<std::uint8_t>(s[at + 1])} << 16) |
         (std::uint32_t{static_cast<std::uint8_t>(s[at + 2])} << 8) |
         std::uint32_t{static_cast<std::uint8_t>(s[at + 3])};
}

inline Image decode_png(const std::string& png) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    throw std::runtime_error("not a PNG");
  }
  Image img;
  int color_type = -1;
  std::string idat;
  for (std::size_t at = 8; at + 8 <= png.size();) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (type == "IHDR") {
      img.width = be32(png, at + 8);
      img.height = be32(png, at + 12);
      if (png[at + 16] != 8 || png[at + 20] != 0) throw std::runtime_error("unsupported PNG");
      color_type = png[at + 17];
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, len);
    }
    at += 12 + len;
  }
  const std::size_t channels = color_type == 6 ? 4 : color_type == 2 ? 3 : 0;
  if (channels == 0) throw std::runtime_error("unsupported PNG color type");
  const std::size_t row_bytes = img.width * channels;
  std::vector<std::uint8_t> raw((row_bytes + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) !=
          Z_OK ||
      raw_len != raw.size()) {
    throw std::runtime_error("bad PNG data");
  }
  std::vector<std::uint8_t> prev(row_bytes, 0), cur(row_bytes);
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
  for (std::uint32_t y = 0; y < img.height; ++y) {
    const std::uint8_t* line = &raw[y * (row_bytes + 1)];
    const int filter = line[0];
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const int a = i >= channels ? cur[i - channels] : 0;
      const int b = prev[i];
      const int c = i >= channels ? prev[i - channels] : 0;
      int pred = 0;
      switch (filter) {
        case 0:
          pred = 0;
          break;
        case 1:
          pred = a;
          break;
        case 2:
          pred = b;
          break;
        case 3:
          pred = (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c;
          const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          break;
        }
        default:
          throw std::runtime_error("bad PNG filter");
      }
      cur[i] = static_cast<std::uint8_t>(line[1 + i] + pred);
    }
    for (std::uint32_t x = 0; x < img.width; ++x) {
      auto& px = img.pixels[static_cast<std::size_t>(y) * img.width + x];
      for (std::size_t ch = 0; ch < 3; ++ch) px[ch] = cur[x * channels + ch];
      px[3] = channels == 4 ? cur[x * channels + 3] : 255;
    }
    prev.swap(cur);
  }
  return img;
}

}  // namespace w2v::testing
