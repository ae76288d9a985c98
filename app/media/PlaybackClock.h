// The master clock of playback. With a sound device the audio position is the clock; without one
// a wall clock stands in (silently), and description() says so.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace heardmap {

class PlaybackClock {
 public:
  virtual ~PlaybackClock() = default;
  virtual void play() = 0;
  virtual void pause() = 0;
  virtual bool isPlaying() const = 0;
  virtual void seek(double timeSeconds) = 0;
  // 1.0 = normal; audio is played resampled (pitch follows speed).
  virtual void setSpeed(double speed) = 0;
  virtual double speed() const = 0;
  // Current media time in seconds.
  virtual double timeSeconds() const = 0;
  // True when a sound device drives the clock.
  virtual bool hasAudioDevice() const = 0;
  // For the status bar, e.g. "audio: default (ALSA) 48000 Hz" or "no sound device: silent clock".
  virtual std::string description() const = 0;
};

// Opens the default output device to play mono samples (at sampleRateHz), falling back to a silent
// wall clock when there is no device, it fails to open, or HEARDMAP_NO_AUDIO=1 is set.
std::unique_ptr<PlaybackClock> openPlayback(std::shared_ptr<const std::vector<float>> samples,
                                            int sampleRateHz);

}  // namespace heardmap
