// Maps that know nothing of the sound, scored beside the models so that a table shows what a model
// adds: a fixed centred Gaussian (the centre prior that papers in this field report) and seeded
// random maps. `heardmap eval --checkpoint centre-prior | random[:SEED] | untrained`.
#pragma once

#include <cstdint>
#include <string>

#include "core/Heatmap.h"

namespace heardmap {

// The centre prior's standard deviation, as a fraction of the frame's side (both axes).
constexpr double kCentrePriorSigmaOfSide = 0.25;
// Side of the random baseline's grid: EZ-VSL's map at 224 px (ResNet-18, stride 32).
constexpr int kRandomBaselineGridSide = 7;
// Seed of `random` without one.
constexpr uint64_t kRandomBaselineDefaultSeed = 1;

enum class BaselineKind { None, CentrePrior, Random };

struct Baseline {
  BaselineKind kind = BaselineKind::None;
  uint64_t seed = kRandomBaselineDefaultSeed;  // Random only

  bool isBaseline() const { return kind != BaselineKind::None; }
  // "centre prior (Gaussian sigma 0.25 of the side)", "random (seed 1)".
  std::string displayName() const;
  // The map for one sample, in raw score (cosine) units. The centre prior is the same for every
  // sample: 2 g - 1 for the Gaussian g = exp(-d^2 / 2 sigma^2) on a side x side grid, so that the
  // fixed-scale score (cos + 1) / 2 is g itself, 1 at the centre. The random map is uniform in
  // [-1, 1] per cell and depends only on the seed and the sample's id, so it does not change with
  // the order or the other models of a run.
  Heatmap map(const std::string& sampleId, int side) const;
};

// "centre-prior" (or "center-prior"), "random", "random:SEED"; kind None for any other name (a
// checkpoint file). Throws std::invalid_argument naming the text for a bad seed.
Baseline baselineFromName(const std::string& name);

}  // namespace heardmap
