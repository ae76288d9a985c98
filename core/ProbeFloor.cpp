#include "ProbeFloor.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "AudioCondition.h"
#include "AudioFrontEnd.h"

namespace heardmap {
namespace {

bool computeHearsAsSilence(const PreprocessingContract& contract) {
  const AudioFrontEnd frontEnd(contract);
  std::vector<int64_t> shape;
  const auto modelInput = [&](const std::vector<float>& window) {
    return frontEnd.compute(window, &shape);
  };
  const std::vector<float> silence(static_cast<size_t>(contract.windowSamples()), 0.0f);
  const std::vector<float> muted =
      applyAudioCondition(AudioCondition::MutedMic, silence, {}, /*seed=*/1);
  const std::vector<float> a = modelInput(silence);
  const std::vector<float> b = modelInput(muted);
  double worst = 0.0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
  }
  return a.size() == b.size() && worst <= kSameInputTolerance;
}

}  // namespace

bool hearsMutedMicAsSilence(const PreprocessingContract& contract) {
  static std::mutex mutex;
  static std::map<std::string, bool> known;  // by the contract's JSON
  const std::string key = contract.toJson().dump();
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = known.find(key);
  if (it != known.end()) {
    return it->second;
  }
  return known[key] = computeHearsAsSilence(contract);
}

}  // namespace heardmap
