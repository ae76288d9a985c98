#include "FramePump.h"

namespace heardmap {

FramePump::FramePump(std::unique_ptr<VideoDecoder> decoder)
    : decoder_(std::move(decoder)), thread_([this] { run(); }) {}

FramePump::~FramePump() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void FramePump::seek(double timeSeconds) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seekRequest_ = timeSeconds;
    queue_.clear();
    endOfStream_ = false;
    ++generation_;
  }
  changed_.notify_all();
}

std::optional<RgbImage> FramePump::takeFrameFor(double timeSeconds, int* skipped) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<RgbImage> newest;
  int passed = 0;
  while (!queue_.empty() && !seekRequest_ && queue_.front().timeSeconds <= timeSeconds) {
    if (newest) {
      ++passed;
    }
    newest = std::move(queue_.front());
    queue_.pop_front();
  }
  if (skipped != nullptr) {
    *skipped = passed;
  }
  if (newest) {
    changed_.notify_all();
  }
  return newest;
}

std::optional<RgbImage> FramePump::takeNextFrame() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] {
    return (!queue_.empty() && !seekRequest_) || (endOfStream_ && !seekRequest_) || stopping_;
  });
  if (queue_.empty()) {
    return std::nullopt;
  }
  RgbImage frame = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return frame;
}

bool FramePump::finished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return endOfStream_ && queue_.empty() && !seekRequest_;
}

std::string FramePump::warning() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return warning_;
}

void FramePump::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (seekRequest_) {
      const double target = *seekRequest_;
      seekRequest_.reset();
      const uint64_t generation = generation_;
      lock.unlock();
      decoder_->seek(target);
      lock.lock();
      if (generation != generation_) {
        continue;  // another seek arrived meanwhile
      }
      continue;
    }
    if (endOfStream_ || queue_.size() >= kQueueDepth) {
      changed_.wait(lock, [&] {
        return stopping_ || seekRequest_ || (!endOfStream_ && queue_.size() < kQueueDepth);
      });
      continue;
    }
    const uint64_t generation = generation_;
    lock.unlock();
    std::optional<RgbImage> frame = decoder_->nextFrame();
    const std::string warning = decoder_->warning();
    lock.lock();
    if (generation != generation_) {
      continue;  // a seek happened while decoding: this frame belongs to the old position
    }
    if (!warning.empty()) {
      warning_ = warning;
    }
    if (frame) {
      queue_.push_back(std::move(*frame));
    } else {
      endOfStream_ = true;
    }
    changed_.notify_all();
  }
}

}  // namespace heardmap
