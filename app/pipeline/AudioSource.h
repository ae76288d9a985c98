// Where a view's audio comes from: a model asks for its window (at its contract's rate and
// length, placed around the frame's time) and the source cuts it. A clip's file audio, another
// clip for the off-screen probe and the live microphone are the three sources.
#pragma once

#include <vector>

#include "app/media/AudioAtRates.h"
#include "core/PreprocessingContract.h"

namespace heardmap {

class MicrophoneCapture;

class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // No audio to give (no clip chosen, no stream): views that need it report an error.
  virtual bool empty() const = 0;
  virtual std::vector<float> window(const PreprocessingContract& contract, double timeSeconds) = 0;
};

// A decoded clip: its windows come from AudioAtRates (each rate resampled once).
class ClipAudioSource : public AudioSource {
 public:
  explicit ClipAudioSource(AudioAtRates* audio) : audio_(audio) {}
  bool empty() const override { return audio_ == nullptr || audio_->empty(); }
  std::vector<float> window(const PreprocessingContract& contract, double timeSeconds) override;

 private:
  AudioAtRates* audio_;  // not owned
};

// The live microphone: the newest samples (a microphone has no future, so the window ends now
// whatever the time asked for), resampled to the model's rate.
class MicrophoneAudioSource : public AudioSource {
 public:
  explicit MicrophoneAudioSource(const MicrophoneCapture* microphone) : mic_(microphone) {}
  bool empty() const override { return mic_ == nullptr; }
  std::vector<float> window(const PreprocessingContract& contract, double timeSeconds) override;

 private:
  const MicrophoneCapture* mic_;  // not owned
};

}  // namespace heardmap
