// A clip's audio at every rate its models ask for: the decoded samples once, each rate resampled
// once and kept, and the model's window cut from it. The player (clip and off-screen clip), the
// grid export, the annotation scorer and `heardmap render` all take their models' audio here.
// Not thread-safe: one owner per thread.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "core/PreprocessingContract.h"

namespace heardmap {

class AudioAtRates {
 public:
  AudioAtRates() = default;
  AudioAtRates(std::vector<float> samples, int rateHz);

  bool empty() const { return source_->empty(); }
  int sourceRateHz() const { return rateHz_; }
  const std::vector<float>& source() const { return *source_; }
  // The whole clip at rateHz (resampled on the first call for that rate; at the source's own
  // rate, the source itself).
  std::shared_ptr<const std::vector<float>> at(int rateHz);
  // The window a model with this contract hears at timeSeconds (zero-padded past the ends).
  std::vector<float> window(const PreprocessingContract& contract, double timeSeconds);

 private:
  std::shared_ptr<const std::vector<float>> source_ = std::make_shared<const std::vector<float>>();
  int rateHz_ = 0;
  std::map<int, std::shared_ptr<const std::vector<float>>> byRate_;
};

}  // namespace heardmap
