// Demuxes and decodes a video file's picture stream (any container FFmpeg reads) to RGB frames with
// accurate seeking. Not thread-safe: one owner thread.
#pragma once

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

// Probes a file without decoding. Throws MediaError.
MediaInfo probeMedia(const std::string& path);

}  // namespace heardmap
