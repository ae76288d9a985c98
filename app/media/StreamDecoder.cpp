#include "StreamDecoder.h"

#include "MediaError.h"

namespace heardmap {
namespace {

// Decode errors tolerated in a row before the stream is treated as ended.
constexpr int kMaxConsecutiveErrors = 64;

}  // namespace

StreamDecoder::StreamDecoder(AVFormatContext* format, AVCodecContext* codec, int streamIndex)
    : format_(format), codec_(codec), streamIndex_(streamIndex) {}

void StreamDecoder::reset() {
  avcodec_flush_buffers(codec_);
  inputEnded_ = false;
  drained_ = false;
  warning_.clear();
}

bool StreamDecoder::next(AVFrame* frame) {
  if (drained_) {
    return false;
  }
  int errors = 0;
  while (true) {
    int rc = avcodec_receive_frame(codec_, frame);
    if (rc == 0) {
      return true;
    }
    if (rc == AVERROR_EOF) {
      drained_ = true;
      return false;
    }
    if (rc != AVERROR(EAGAIN)) {
      warning_ = "decode error: " + ffmpegErrorText(rc);
      if (++errors > kMaxConsecutiveErrors) {
        return false;
      }
    }
    if (inputEnded_) {
      avcodec_send_packet(codec_, nullptr);
      continue;
    }
    rc = av_read_frame(format_, packet_.get());
    if (rc < 0) {
      if (rc != AVERROR_EOF) {
        warning_ = "file damaged or truncated (" + ffmpegErrorText(rc) + "); stopped there";
      }
      inputEnded_ = true;
      avcodec_send_packet(codec_, nullptr);
      continue;
    }
    if (packet_->stream_index == streamIndex_) {
      rc = avcodec_send_packet(codec_, packet_.get());
      if (rc < 0 && rc != AVERROR(EAGAIN)) {
        warning_ = "damaged packet skipped: " + ffmpegErrorText(rc);
        if (++errors > kMaxConsecutiveErrors) {
          av_packet_unref(packet_.get());
          return false;
        }
      }
    }
    av_packet_unref(packet_.get());
  }
}

}  // namespace heardmap
