// Which shard samples each training step reads: every epoch a permutation of all samples, seeded
// by the run's seed and the epoch alone (so every rank, and a run resumed at any step, computes
// the same one), cut into global batches with the last partial batch dropped (the official
// loaders' drop_last); each global batch is split into world-size equal parts, rank r reading
// part r. One process with batch B and N processes with B / N each read the same samples.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

namespace heardmap {

// splitmix64: the next number of a small, well-mixed stream whose values are the same on every
// platform (std::shuffle's and the std distributions' are not specified). The epoch shuffles and
// the shard batches' augmentation draws use it.
uint64_t splitMix64(uint64_t& state);
// A uniform draw in [0, 1) from that stream.
double unitDraw(uint64_t& state);

class EpochOrder {
 public:
  // Throws std::invalid_argument when there are fewer samples than one global batch.
  EpochOrder(int64_t sampleCount, int globalBatch, uint64_t seed);

  int64_t sampleCount() const { return sampleCount_; }
  int64_t stepsPerEpoch() const { return sampleCount_ / globalBatch_; }
  int64_t epochOf(int64_t step) const { return step / stepsPerEpoch(); }
  // The global sample indices rank (of worldSize, which divides the batch) reads at step.
  std::vector<int64_t> samplesFor(int64_t step, int rank, int worldSize) const;
  // A seed for one sample's random augmentation in one epoch (the same on every rank).
  uint64_t augmentSeed(int64_t epoch, int64_t sample) const;
  // The permutation of an epoch (the last one asked for is kept).
  std::vector<int64_t> permutation(int64_t epoch) const;

 private:
  void shuffleFor(int64_t epoch) const;  // into cached_; the caller holds mutex_

  int64_t sampleCount_;
  int globalBatch_;
  uint64_t seed_;
  mutable std::mutex mutex_;
  mutable int64_t cachedEpoch_ = -1;
  mutable std::vector<int64_t> cached_;
};

}  // namespace heardmap
