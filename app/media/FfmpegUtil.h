// RAII deleters for FFmpeg objects shared by the media classes.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cstdint>
#include <memory>
#include <string>

namespace heardmap {

struct FormatInputDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwrDeleter {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

using FormatInputPtr = std::unique_ptr<AVFormatContext, FormatInputDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

// Converts a picture with swscale into a tightly packed buffer (rows of dstWidth * bytesPerPixel).
// swscale's SIMD paths read and write whole vectors past the end of rows (and of the last row)
// when a width is not a multiple of 16 or 32 px, so neither side is handed to it as packed memory:
// the source is first copied into a padded, aligned picture when it is packed, the output goes to
// one and rows are copied out. The scratch buffers are kept between calls.
class PackedScaler {
 public:
  PackedScaler() = default;
  ~PackedScaler();
  PackedScaler(const PackedScaler&) = delete;
  PackedScaler& operator=(const PackedScaler&) = delete;

  // Decoded frame (FFmpeg-owned planes, already padded) -> packed dst of dstFormat.
  // Returns false when swscale cannot convert between the two formats.
  bool frameToPacked(const AVFrame* frame, int dstWidth, int dstHeight, AVPixelFormat dstFormat,
                     int bytesPerPixel, int flags, uint8_t* dst);
  // Packed src of srcFormat -> frame (allocated by av_frame_get_buffer, so padded).
  bool packedToFrame(const uint8_t* src, int srcWidth, int srcHeight, AVPixelFormat srcFormat,
                     int bytesPerPixel, int flags, AVFrame* frame);

 private:
  uint8_t* scratch(size_t bytes);

  SwsContext* context_ = nullptr;
  uint8_t* scratch_ = nullptr;
  AVFrame* aligned_ = nullptr;  // aligned copy of a source frame whose planes are not
  size_t scratchBytes_ = 0;
};

// The name of a pixel format, or "unknown" (never null).
const char* pixelFormatName(int format);

// Opens path and reads stream info; throws MediaError naming the file.
FormatInputPtr openInput(const std::string& path);
// Opens a decoder for stream index; throws MediaError.
CodecContextPtr openDecoder(AVFormatContext* format, int streamIndex, int threads);

}  // namespace heardmap
