// A silent playback clock driven by std::chrono::steady_clock (no sound device).
#pragma once

#include <chrono>
#include <mutex>

#include "PlaybackClock.h"

namespace heardmap {

class WallClockPlayback : public PlaybackClock {
 public:
  explicit WallClockPlayback(std::string reason);
  void play() override;
  void pause() override;
  bool isPlaying() const override;
  void seek(double timeSeconds) override;
  void setSpeed(double speed) override;
  double speed() const override;
  double timeSeconds() const override;
  bool hasAudioDevice() const override { return false; }
  std::string description() const override;

 private:
  double nowLocked() const;

  mutable std::mutex mutex_;
  std::string reason_;
  bool playing_ = false;
  double speed_ = 1.0;
  double baseSeconds_ = 0.0;  // media time at startTime_
  std::chrono::steady_clock::time_point startTime_;
};

}  // namespace heardmap
