// Composes benchmark scenes from an asset pack, deterministically per seed: a background photo,
// silent distractor objects, the sounding object(s) on top (random scale, position, flip), and the
// audio window (the sounding object's sound repeated at random gain over faint ambience), or a
// negative condition's audio.
#pragma once

#include <cstdint>

#include "AssetPack.h"
#include "Scene.h"
#include "ScenePlan.h"

namespace heardmap {

struct SynthesisOptions {
  int imageSize = 224;
  int sampleRateHz = 16000;
  double windowSeconds = 3.0;
  Split split = Split::Test;
};

class SceneSynthesizer {
 public:
  // Throws std::invalid_argument when the split lacks sounding objects or backgrounds, or the
  // pack's sound rate differs from the options' (resampling is the pack builder's job).
  SceneSynthesizer(const AssetPack& pack, const SynthesisOptions& options);

  // plan() then render(): the same scene for the same seed, always.
  Scene make(uint64_t seed, SceneCondition condition) const;
  // Every random choice of the scene (cheap: no pixels, no samples).
  ScenePlan plan(uint64_t seed, SceneCondition condition) const;
  // The picture, its source mask and boxes, and the audio window of a plan of this synthesizer.
  Scene render(const ScenePlan& plan) const;
  const AssetPack& pack() const { return pack_; }
  const SynthesisOptions& options() const { return options_; }
  // Objects and backgrounds a plan of this split can use (indices into the pack).
  const std::vector<int>& soundingObjects() const { return sounding_; }
  const std::vector<int>& silentObjects() const { return silent_; }
  const std::vector<int>& backgrounds() const { return backgrounds_; }
  // The seed of scene `index` of the fixed test set for a condition.
  static uint64_t testSeed(SceneCondition condition, int index);

 private:
  const AssetPack& pack_;
  SynthesisOptions options_;
  std::vector<int> sounding_;
  std::vector<int> silent_;
  std::vector<int> backgrounds_;
  std::vector<float> soundPeaks_;  // per pack object: max |sample| (0 for silent ones)
};

}  // namespace heardmap
