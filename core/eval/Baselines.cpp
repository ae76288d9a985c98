#include "Baselines.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "core/Fnv1a.h"

namespace heardmap {
namespace {

// Most digits of random:SEED (the message's 0..999999999999999999).
constexpr size_t kMaxRandomBaselineSeedDigits = 18;

// The per-sample seed: FNV-1a of the run's seed (8 bytes, little-endian) and the sample's id.
uint64_t sampleSeed(uint64_t seed, const std::string& sampleId) {
  uint8_t seedBytes[8];
  for (int i = 0; i < 8; ++i) {
    seedBytes[i] = static_cast<uint8_t>(seed >> (8 * i));
  }
  return fnv1a(sampleId.data(), sampleId.size(), fnv1a(seedBytes, sizeof seedBytes));
}

}  // namespace

std::string Baseline::displayName() const {
  char text[96];
  switch (kind) {
    case BaselineKind::CentrePrior:
      std::snprintf(text, sizeof text, "centre prior (Gaussian sigma %.2g of the side)",
                    kCentrePriorSigmaOfSide);
      return text;
    case BaselineKind::Random:
      std::snprintf(text, sizeof text, "random (seed %llu)", static_cast<unsigned long long>(seed));
      return text;
    case BaselineKind::None:
      break;
  }
  return "none";
}

Heatmap Baseline::map(const std::string& sampleId, int side) const {
  Heatmap heatmap;
  if (kind == BaselineKind::CentrePrior) {
    heatmap.width = heatmap.height = side;
    heatmap.scores.resize(static_cast<size_t>(side) * side);
    const double twoSigmaSquared = 2.0 * kCentrePriorSigmaOfSide * kCentrePriorSigmaOfSide;
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        // Pixel centres in [0, 1]; the frame's centre at 0.5.
        const double dx = (x + 0.5) / side - 0.5;
        const double dy = (y + 0.5) / side - 0.5;
        heatmap.scores[static_cast<size_t>(y) * side + x] =
            static_cast<float>(2.0 * std::exp(-(dx * dx + dy * dy) / twoSigmaSquared) - 1.0);
      }
    }
  } else if (kind == BaselineKind::Random) {
    heatmap.width = heatmap.height = kRandomBaselineGridSide;
    std::mt19937_64 generator(sampleSeed(seed, sampleId));
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    heatmap.scores.resize(static_cast<size_t>(kRandomBaselineGridSide) * kRandomBaselineGridSide);
    for (float& v : heatmap.scores) {
      v = uniform(generator);
    }
  } else {
    throw std::logic_error("Baseline::map: not a baseline");
  }
  heatmap.updateRange();
  return heatmap;
}

Baseline baselineFromName(const std::string& name) {
  Baseline baseline;
  if (name == "centre-prior" || name == "center-prior") {
    baseline.kind = BaselineKind::CentrePrior;
  } else if (name == "random") {
    baseline.kind = BaselineKind::Random;
  } else if (name.rfind("random:", 0) == 0) {
    const std::string digits = name.substr(7);
    if (digits.empty() || digits.size() > kMaxRandomBaselineSeedDigits ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      throw std::invalid_argument("--checkpoint " + name +
                                  ": the random baseline's seed must be a whole number "
                                  "0..999999999999999999");
    }
    baseline.kind = BaselineKind::Random;
    baseline.seed = std::stoull(digits);
  }
  return baseline;
}

}  // namespace heardmap
