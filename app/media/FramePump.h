// Decodes video frames ahead of the playhead on its own thread into a small bounded queue.
// Seeks are requests: the pump drops its queue, seeks the decoder and refills.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "VideoDecoder.h"

namespace heardmap {

class FramePump {
 public:
  // Takes ownership of an opened decoder and starts decoding from the start.
  explicit FramePump(std::unique_ptr<VideoDecoder> decoder);
  ~FramePump();
  FramePump(const FramePump&) = delete;
  FramePump& operator=(const FramePump&) = delete;

  // Drops queued frames and restarts decoding at timeSeconds (accurate).
  void seek(double timeSeconds);
  // Pops frames with time <= timeSeconds and returns the newest of them; `skipped` counts the
  // older ones it passed over (dropped frames). nullopt when none is due yet.
  std::optional<RgbImage> takeFrameFor(double timeSeconds, int* skipped);
  // Pops the next frame regardless of time (frame stepping); waits for the decoder.
  std::optional<RgbImage> takeNextFrame();
  // True once the decoder has delivered its last frame and the queue is empty.
  bool finished() const;
  std::string warning() const;

 private:
  void run();

  // Frames decoded ahead of the playhead.
  static constexpr size_t kQueueDepth = 6;

  std::unique_ptr<VideoDecoder> decoder_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<RgbImage> queue_;
  std::optional<double> seekRequest_;
  uint64_t generation_ = 0;  // bumped per seek so stale frames are not queued
  bool endOfStream_ = false;
  bool stopping_ = false;
  std::string warning_;
  std::thread thread_;
};

}  // namespace heardmap
