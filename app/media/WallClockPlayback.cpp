#include "WallClockPlayback.h"

namespace heardmap {

WallClockPlayback::WallClockPlayback(std::string reason) : reason_(std::move(reason)) {}

double WallClockPlayback::nowLocked() const {
  if (!playing_) {
    return baseSeconds_;
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - startTime_).count();
  return baseSeconds_ + elapsed * speed_;
}

void WallClockPlayback::play() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!playing_) {
    startTime_ = std::chrono::steady_clock::now();
    playing_ = true;
  }
}

void WallClockPlayback::pause() {
  std::lock_guard<std::mutex> lock(mutex_);
  baseSeconds_ = nowLocked();
  playing_ = false;
}

bool WallClockPlayback::isPlaying() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return playing_;
}

void WallClockPlayback::seek(double timeSeconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  baseSeconds_ = timeSeconds;
  startTime_ = std::chrono::steady_clock::now();
}

void WallClockPlayback::setSpeed(double speed) {
  std::lock_guard<std::mutex> lock(mutex_);
  baseSeconds_ = nowLocked();
  startTime_ = std::chrono::steady_clock::now();
  speed_ = speed;
}

double WallClockPlayback::speed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return speed_;
}

double WallClockPlayback::timeSeconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return nowLocked();
}

std::string WallClockPlayback::description() const {
  return reason_ + ": silent wall clock";
}

}  // namespace heardmap
