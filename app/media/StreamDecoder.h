// Pulls decoded frames of one stream out of a demuxer: reads packets, feeds the decoder, drains it
// at the end, and skips damaged packets (noting why) instead of failing.
#pragma once

#include <string>

#include "FfmpegUtil.h"

namespace heardmap {

class StreamDecoder {
 public:
  // format and codec stay owned by the caller and must outlive this object.
  StreamDecoder(AVFormatContext* format, AVCodecContext* codec, int streamIndex);

  // Decodes the next frame into frame (unref'd by the caller). False at the end of the stream or
  // after too many consecutive errors; warning() then says why if it was damage.
  bool next(AVFrame* frame);
  // After a demuxer seek: flushes the decoder and forgets the end-of-stream state.
  void reset();
  const std::string& warning() const { return warning_; }

 private:
  AVFormatContext* format_;
  AVCodecContext* codec_;
  int streamIndex_;
  PacketPtr packet_{av_packet_alloc()};
  bool inputEnded_ = false;
  bool drained_ = false;
  std::string warning_;
};

}  // namespace heardmap
