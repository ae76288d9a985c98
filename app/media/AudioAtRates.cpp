#include "AudioAtRates.h"

#include "AudioTrack.h"
#include "core/AudioWindow.h"

namespace heardmap {

AudioAtRates::AudioAtRates(std::vector<float> samples, int rateHz)
    : source_(std::make_shared<const std::vector<float>>(std::move(samples))), rateHz_(rateHz) {
  byRate_.emplace(rateHz_, source_);  // the source's own rate: the source, not a copy
}

std::shared_ptr<const std::vector<float>> AudioAtRates::at(int rateHz) {
  auto it = byRate_.find(rateHz);
  if (it == byRate_.end()) {
    it = byRate_
             .emplace(rateHz, std::make_shared<const std::vector<float>>(
                                  resampleMono(*source_, rateHz_, rateHz)))
             .first;
  }
  return it->second;
}

std::vector<float> AudioAtRates::window(const PreprocessingContract& contract, double timeSeconds) {
  return cutAudioWindow(*at(contract.sampleRateHz), timeSeconds, contract);
}

}  // namespace heardmap
