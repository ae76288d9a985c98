// Demuxes and decodes a video file's picture stream (any container FFmpeg reads) to RGB frames with
// accurate seeking. Not thread-safe: one owner thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "MediaInfo.h"
#include "core/RgbImage.h"

namespace heardmap {

class VideoDecoder {
 public:
  // Opens path; throws MediaError for missing, unreadable or corrupt files and files without video.
  explicit VideoDecoder(const std::string& path);
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const MediaInfo& info() const;
  // The next frame in presentation order, or nullopt at the end (also after unrecoverable damage:
  // see warning()).
  std::optional<RgbImage> nextFrame();
  // After this the next frame is the one shown at timeSeconds (the last with pts <= time).
  void seek(double timeSeconds);
  // Non-fatal trouble met while decoding (damaged packets, truncation); empty if none.
  std::string warning() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "" when framesDecoded covers the range [fromSeconds, toSeconds] of a video with info; else the
// report of a partial decode ("decoded 40 of about 75 frames (1.60 of 3.00 s from 0.00 s): the file
// is truncated or damaged", with the decoder's own warning appended). Render and grid export use
// it.
std::string partialDecodeReport(int64_t framesDecoded, double fromSeconds, double toSeconds,
                                const MediaInfo& info, const std::string& decoderWarning);

}  // namespace heardmap
