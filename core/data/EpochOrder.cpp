#include "EpochOrder.h"

#include <numeric>
#include <stdexcept>
#include <string>

namespace heardmap {

uint64_t splitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double unitDraw(uint64_t& state) {
  return static_cast<double>(splitMix64(state) >> 11) * 0x1.0p-53;
}

namespace {

// Uniform in [0, bound) without modulo bias.
uint64_t below(uint64_t& state, uint64_t bound) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t x = splitMix64(state);
  while (x >= limit) {
    x = splitMix64(state);
  }
  return x % bound;
}

}  // namespace

EpochOrder::EpochOrder(int64_t sampleCount, int globalBatch, uint64_t seed)
    : sampleCount_(sampleCount), globalBatch_(globalBatch), seed_(seed) {
  if (globalBatch < 1 || sampleCount < globalBatch) {
    throw std::invalid_argument("the shards hold " + std::to_string(sampleCount) +
                                " samples, fewer than one batch of " + std::to_string(globalBatch));
  }
}

void EpochOrder::shuffleFor(int64_t epoch) const {
  if (epoch == cachedEpoch_) {
    return;
  }
  cached_.resize(static_cast<size_t>(sampleCount_));
  std::iota(cached_.begin(), cached_.end(), int64_t{0});
  uint64_t state = seed_ * 0xD1B54A32D192ED03ull + static_cast<uint64_t>(epoch);
  for (size_t i = cached_.size() - 1; i > 0; --i) {  // Fisher-Yates
    std::swap(cached_[i], cached_[below(state, i + 1)]);
  }
  cachedEpoch_ = epoch;
}

std::vector<int64_t> EpochOrder::permutation(int64_t epoch) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  shuffleFor(epoch);
  return cached_;
}

std::vector<int64_t> EpochOrder::samplesFor(int64_t step, int rank, int worldSize) const {
  if (worldSize < 1 || globalBatch_ % worldSize != 0 || rank < 0 || rank >= worldSize) {
    throw std::invalid_argument("rank " + std::to_string(rank) + " of " +
                                std::to_string(worldSize) + " cannot split a batch of " +
                                std::to_string(globalBatch_));
  }
  const int64_t perRank = globalBatch_ / worldSize;
  const int64_t first = (step % stepsPerEpoch()) * globalBatch_ + rank * perRank;
  const std::lock_guard<std::mutex> lock(mutex_);
  shuffleFor(epochOf(step));
  return {cached_.begin() + first, cached_.begin() + first + perRank};
}

uint64_t EpochOrder::augmentSeed(int64_t epoch, int64_t sample) const {
  uint64_t state = seed_ ^ (static_cast<uint64_t>(epoch) << 40) ^ static_cast<uint64_t>(sample);
  return splitMix64(state);
}

}  // namespace heardmap
