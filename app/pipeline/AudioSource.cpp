#include "AudioSource.h"

#include <cmath>

#include "app/media/AudioTrack.h"
#include "app/media/MicrophoneCapture.h"

namespace heardmap {

std::vector<float> ClipAudioSource::window(const PreprocessingContract& contract,
                                           double timeSeconds) {
  return audio_->window(contract, timeSeconds);
}

std::vector<float> MicrophoneAudioSource::window(const PreprocessingContract& contract,
                                                 double /*timeSeconds*/) {
  const int micRateHz = mic_->sampleRateHz();
  const size_t count = static_cast<size_t>(std::llround(
      static_cast<double>(contract.windowSamples()) * micRateHz / contract.sampleRateHz));
  std::vector<float> window = resampleMono(mic_->latest(count), micRateHz, contract.sampleRateHz);
  window.resize(static_cast<size_t>(contract.windowSamples()), 0.0f);
  return window;
}

}  // namespace heardmap
