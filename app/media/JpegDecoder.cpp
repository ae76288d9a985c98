#include "JpegDecoder.h"

#include <jpeglib.h>

#include <jerror.h>  // after jpeglib.h, whose types it needs

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <memory>

#include "MediaError.h"

namespace heardmap {
namespace {

// Largest side accepted: libjpeg's own limit is 65500; this keeps a corrupt header from asking
// for gigabytes (a 30000 x 30000 picture is 2.7 GB of RGB).
constexpr JDIMENSION kMaxSidePx = 30000;

struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  bool truncated = false;
};

[[noreturn]] void onError(j_common_ptr info) {
  auto* errors = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Warnings are ignored as PIL ignores them (extraneous bytes), except the end of the data before
// the picture is complete: PIL refuses that as "image file is truncated".
void onMessage(j_common_ptr info, int level) {
  auto* errors = reinterpret_cast<ErrorManager*>(info->err);
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) {
    errors->truncated = true;
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

bool isJpegFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[3] = {};
  in.read(reinterpret_cast<char*>(magic), 3);
  return in.gcount() == 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF;
}

RgbImage decodeJpegLikePil(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw MediaError("cannot open '" + path + "'");
  }
  jpeg_decompress_struct info{};
  ErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = onError;
  errors.base.emit_message = onMessage;
  RgbImage image;
  std::vector<unsigned char> row;
  // Nothing with a destructor is created between setjmp and the calls that may jump: what
  // longjmp leaves behind exists already and is destroyed normally.
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_decompress(&info);
    throw MediaError("'" + path + "': not a readable JPEG (" + errors.message + ")");
  }
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, file.get());
  jpeg_read_header(&info, TRUE);
  const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
  info.out_color_space = cmyk ? JCS_CMYK : info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  if (info.image_width > kMaxSidePx || info.image_height > kMaxSidePx) {
    jpeg_destroy_decompress(&info);
    throw MediaError("'" + path + "': " + std::to_string(info.image_width) + "x" +
                     std::to_string(info.image_height) + " is larger than " +
                     std::to_string(kMaxSidePx) + " px a side");
  }
  jpeg_start_decompress(&info);
  const bool adobe = info.saw_Adobe_marker != 0;
  const size_t width = info.output_width;
  const size_t channels = static_cast<size_t>(info.output_components);
  image.width = static_cast<int>(info.output_width);
  image.height = static_cast<int>(info.output_height);
  image.pixels.resize(width * info.output_height * 3);
  row.resize(width * channels);
  while (info.output_scanline < info.output_height) {
    const size_t y = info.output_scanline;
    JSAMPROW rows[1] = {row.data()};
    jpeg_read_scanlines(&info, rows, 1);
    uint8_t* out = image.pixels.data() + y * width * 3;
    for (size_t x = 0; x < width; ++x) {
      const unsigned char* p = row.data() + x * channels;
      if (channels == 1) {
        out[x * 3] = out[x * 3 + 1] = out[x * 3 + 2] = p[0];
      } else if (channels == 4) {
        // Pillow: Adobe CMYK files are stored inverted ("CMYK;I"); then cmyk2rgb,
        // R = nk - C * nk / 255 (rounded its way) with nk = 255 - K.
        const int nk = adobe ? p[3] : 255 - p[3];
        for (int c = 0; c < 3; ++c) {
          const int cyan = adobe ? 255 - p[c] : p[c];
          const int product = cyan * nk + 128;
          const int scaled = ((product >> 8) + product) >> 8;
          out[x * 3 + static_cast<size_t>(c)] =
              static_cast<uint8_t>(std::clamp(nk - scaled, 0, 255));
        }
      } else {
        out[x * 3] = p[0];
        out[x * 3 + 1] = p[1];
        out[x * 3 + 2] = p[2];
      }
    }
  }
  const bool truncated = errors.truncated;
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  if (truncated) {
    throw MediaError("'" + path + "': truncated JPEG (the data ends before the picture does)");
  }
  return image;
}

}  // namespace heardmap
