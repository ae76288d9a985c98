// Plays a preloaded mono buffer on a PortAudio output stream; the stream's sample position is the
// media clock. The callback only reads atomics and the immutable buffer: no locks, no allocation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "PlaybackClock.h"

namespace heardmap {

class AudioDevicePlayback : public PlaybackClock {
 public:
  // Opens the default output device; throws MediaError when there is none or it fails.
  AudioDevicePlayback(std::shared_ptr<const std::vector<float>> samples, int sampleRateHz);
  ~AudioDevicePlayback() override;

  void play() override;
  void pause() override;
  bool isPlaying() const override { return playing_.load(); }
  void seek(double timeSeconds) override;
  void setSpeed(double speed) override;
  double speed() const override { return speed_.load(); }
  double timeSeconds() const override;
  bool hasAudioDevice() const override { return true; }
  std::string description() const override { return description_; }

  // The PortAudio callback body (public for the C trampoline).
  void render(float* out, unsigned long frames);

 private:
  std::shared_ptr<const std::vector<float>> samples_;
  const float* data_ = nullptr;  // samples_->data(), stable for the stream's lifetime
  size_t size_ = 0;
  int sampleRateHz_ = 0;
  void* stream_ = nullptr;  // PaStream*
  double outputLatencySeconds_ = 0.0;
  std::string description_;
  std::atomic<double> positionSamples_{0.0};
  std::atomic<double> pendingSeekSamples_{-1.0};  // < 0: none
  std::atomic<double> speed_{1.0};
  std::atomic<bool> playing_{false};
  std::atomic<uint64_t> framesRendered_{
      0};  // every frame the callback produced, for the pace check
};

}  // namespace heardmap
