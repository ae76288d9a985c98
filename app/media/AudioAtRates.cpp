#include "AudioAtRates.h"

#include "AudioTrack.h"
#include "core/AudioWindow.h"

namespace heardmap {

AudioAtRates::AudioAtRates(std::vector<float> samples, int rateHz)
    : samples_(std::move(samples)), rateHz_(rateHz) {}

std::shared_ptr<const std::vector<float>> AudioAtRates::at(int rateHz) {
  auto it = byRate_.find(rateHz);
  if (it == byRate_.end()) {
    it = byRate_
             .emplace(rateHz,
                      std::make_shared<const std::vector<float>>(
                          rateHz == rateHz_ ? samples_ : resampleMono(samples_, rateHz_, rateHz)))
             .first;
  }
  return it->second;
}

std::vector<float> AudioAtRates::window(const PreprocessingContract& contract, double timeSeconds) {
  return cutAudioWindow(*at(contract.sampleRateHz), timeSeconds, contract);
}

}  // namespace heardmap
