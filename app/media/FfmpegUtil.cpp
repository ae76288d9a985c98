#include "FfmpegUtil.h"

#include "MediaError.h"

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
}

#include <cstring>

namespace heardmap {
namespace {

// Row alignment of the scratch pictures handed to swscale (AVX-512 vector width).
constexpr size_t kScratchAlignBytes = 64;
// Bytes past each scratch row and past the last row that swscale's vector loops may touch.
constexpr size_t kScratchSlackBytes = 256;

size_t paddedStride(int width, int bytesPerPixel) {
  const size_t row = static_cast<size_t>(width) * static_cast<size_t>(bytesPerPixel);
  return (row + kScratchSlackBytes + kScratchAlignBytes - 1) / kScratchAlignBytes *
         kScratchAlignBytes;
}

// FFmpeg's own chatter (encoder statistics, probe notes) stays off the terminal; errors surface
// through MediaError messages instead.
const int kQuietFfmpeg = (av_log_set_level(AV_LOG_ERROR), 0);

}  // namespace

std::string ffmpegErrorText(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buffer, sizeof(buffer));
  return buffer;
}

const char* pixelFormatName(int format) {
  const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(format));
  return name != nullptr ? name : "unknown";
}

PackedScaler::~PackedScaler() {
  sws_freeContext(context_);
  av_free(scratch_);
  av_frame_free(&aligned_);
}

uint8_t* PackedScaler::scratch(size_t bytes) {
  if (bytes > scratchBytes_) {
    av_free(scratch_);
    scratch_ = static_cast<uint8_t*>(av_malloc(bytes));
    scratchBytes_ = scratch_ != nullptr ? bytes : 0;
    if (scratch_ == nullptr) {
      throw MediaError("out of memory for a " + std::to_string(bytes) + "-byte picture");
    }
  }
  return scratch_;
}

// True when every plane starts and strides on kScratchAlignBytes (decoders' own buffers do; raw
// video that points into a packet may not).
static bool planesAligned(const AVFrame* frame) {
  for (int i = 0; i < AV_NUM_DATA_POINTERS && frame->data[i] != nullptr; ++i) {
    if (reinterpret_cast<uintptr_t>(frame->data[i]) % kScratchAlignBytes != 0 ||
        frame->linesize[i] % static_cast<int>(kScratchAlignBytes) != 0) {
      return false;
    }
  }
  return true;
}

bool PackedScaler::frameToPacked(const AVFrame* source, int dstWidth, int dstHeight,
                                 AVPixelFormat dstFormat, int bytesPerPixel, int flags,
                                 uint8_t* dst) {
  const AVFrame* frame = source;
  if (!planesAligned(source)) {
    if (!aligned_) {
      aligned_ = av_frame_alloc();
    }
    av_frame_unref(aligned_);
    aligned_->format = source->format;
    aligned_->width = source->width;
    aligned_->height = source->height;
    if (av_frame_get_buffer(aligned_, static_cast<int>(kScratchAlignBytes)) < 0 ||
        av_frame_copy(aligned_, source) < 0) {
      return false;
    }
    frame = aligned_;
  }
  context_ = sws_getCachedContext(context_, frame->width, frame->height,
                                  static_cast<AVPixelFormat>(frame->format), dstWidth, dstHeight,
                                  dstFormat, flags, nullptr, nullptr, nullptr);
  if (context_ == nullptr) {
    return false;
  }
  const size_t stride = paddedStride(dstWidth, bytesPerPixel);
  uint8_t* out = scratch(stride * static_cast<size_t>(dstHeight) + kScratchSlackBytes);
  uint8_t* planes[4] = {out, nullptr, nullptr, nullptr};
  int strides[4] = {static_cast<int>(stride), 0, 0, 0};
  sws_scale(context_, frame->data, frame->linesize, 0, frame->height, planes, strides);
  const size_t row = static_cast<size_t>(dstWidth) * static_cast<size_t>(bytesPerPixel);
  for (int y = 0; y < dstHeight; ++y) {
    std::memcpy(dst + static_cast<size_t>(y) * row, out + static_cast<size_t>(y) * stride, row);
  }
  return true;
}

bool PackedScaler::packedToFrame(const uint8_t* src, int srcWidth, int srcHeight,
                                 AVPixelFormat srcFormat, int bytesPerPixel, int flags,
                                 AVFrame* frame) {
  context_ = sws_getCachedContext(context_, srcWidth, srcHeight, srcFormat, frame->width,
                                  frame->height, static_cast<AVPixelFormat>(frame->format), flags,
                                  nullptr, nullptr, nullptr);
  if (context_ == nullptr) {
    return false;
  }
  const size_t stride = paddedStride(srcWidth, bytesPerPixel);
  uint8_t* in = scratch(stride * static_cast<size_t>(srcHeight) + kScratchSlackBytes);
  const size_t row = static_cast<size_t>(srcWidth) * static_cast<size_t>(bytesPerPixel);
  for (int y = 0; y < srcHeight; ++y) {
    std::memcpy(in + static_cast<size_t>(y) * stride, src + static_cast<size_t>(y) * row, row);
    std::memset(in + static_cast<size_t>(y) * stride + row, 0, stride - row);
  }
  const uint8_t* planes[4] = {in, nullptr, nullptr, nullptr};
  const int strides[4] = {static_cast<int>(stride), 0, 0, 0};
  sws_scale(context_, planes, strides, 0, srcHeight, frame->data, frame->linesize);
  return true;
}

FormatInputPtr openInput(const std::string& path) {
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    throw MediaError("cannot open '" + path + "': " + ffmpegErrorText(rc));
  }
  FormatInputPtr format(raw);
  rc = avformat_find_stream_info(format.get(), nullptr);
  if (rc < 0) {
    throw MediaError("cannot read streams of '" + path + "': " + ffmpegErrorText(rc));
  }
  return format;
}

CodecContextPtr openDecoder(AVFormatContext* format, int streamIndex, int threads) {
  const AVStream* stream = format->streams[streamIndex];
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (codec == nullptr) {
    throw MediaError(std::string("no decoder for codec '") +
                     avcodec_get_name(stream->codecpar->codec_id) + "'");
  }
  CodecContextPtr context(avcodec_alloc_context3(codec));
  if (!context) {
    throw MediaError("out of memory allocating a decoder");
  }
  int rc = avcodec_parameters_to_context(context.get(), stream->codecpar);
  if (rc < 0) {
    throw MediaError("bad codec parameters: " + ffmpegErrorText(rc));
  }
  context->thread_count = threads;
  context->pkt_timebase = stream->time_base;
  rc = avcodec_open2(context.get(), codec, nullptr);
  if (rc < 0) {
    throw MediaError(std::string("cannot open decoder '") + codec->name +
                     "': " + ffmpegErrorText(rc));
  }
  return context;
}

}  // namespace heardmap
