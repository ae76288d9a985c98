// Composes benchmark scenes from an asset pack, deterministically per seed: a background photo,
// silent distractor objects, the sounding object(s) on top (random scale, position, flip), and the
// audio window (the sounding object's sound repeated at random gain over faint ambience), or a
// negative condition's audio.
#pragma once

#include <cstdint>

#include "AssetPack.h"
#include "Scene.h"

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

  Scene make(uint64_t seed, SceneCondition condition) const;
  // The seed of scene `index` of the fixed test set for a condition.
  static uint64_t testSeed(SceneCondition condition, int index);

 private:
  const AssetPack& pack_;
  SynthesisOptions options_;
  std::vector<int> sounding_;
  std::vector<int> silent_;
  std::vector<int> backgrounds_;
};

}  // namespace heardmap
