#include "FfmpegUtil.h"

#include "MediaError.h"

namespace heardmap {
namespace {

// FFmpeg's own chatter (encoder statistics, probe notes) stays off the terminal; errors surface
// through MediaError messages instead.
const int kQuietFfmpeg = (av_log_set_level(AV_LOG_ERROR), 0);

}  // namespace

std::string ffmpegErrorText(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buffer, sizeof(buffer));
  return buffer;
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
