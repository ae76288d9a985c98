// Training batches read from shards (core/data/ShardReader): a background thread gathers the
// next steps' samples from the memory-mapped shards (uint8 frames, the int16 audio window; in
// pinned memory on CUDA) while the current step trains; on the device each batch is augmented
// (the official recipes' random resized crop and horizontal flip), normalised, and its audio
// window turned into spectrograms. Every random choice is seeded by (run seed, epoch, sample), so
// one process or several, and a run resumed at any step, see the same inputs. Internal torch
// header of the trainer.
#pragma once

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "DeviceFrontEndTorch.h"
#include "core/PreprocessingContract.h"
#include "core/data/EpochOrder.h"
#include "core/data/ShardReader.h"

namespace heardmap {

class ShardBatches {
 public:
  // Throws std::runtime_error when the shards' audio rate or length cannot give the contract's
  // window (shards are never resampled here: rebuild them at the contract's rate).
  ShardBatches(const ShardReader& reader, const EpochOrder& order,
               const PreprocessingContract& contract, torch::Device device, bool augment, int rank,
               int worldSize);
  ~ShardBatches();
  ShardBatches(const ShardBatches&) = delete;
  ShardBatches& operator=(const ShardBatches&) = delete;

  // This rank's part of the step's batch on the device: images b x 3 x S x S (normalised) and
  // spectrograms b x 1 x F x T, b = global batch / world size.
  std::pair<torch::Tensor, torch::Tensor> forStep(int64_t step);
  // Seconds the training loop has waited for a batch the thread had not gathered yet.
  double waitedSeconds() const { return waitedSeconds_; }

  // What the thread gathers for one step, on the host.
  struct HostBatch {
    int64_t step = -1;
    torch::Tensor frames;  // b x S x S x 3, uint8
    torch::Tensor audio;   // b x window, int16
    torch::Tensor left;    // b x 1 float: crop origin (pixels)
    torch::Tensor top;
    torch::Tensor flip;  // b x 1 bool
  };
  // Gathers one step's samples (also what bench/ times as the loader alone).
  HostBatch gather(int64_t step) const;

 private:
  void prefetchLoop();

  const ShardReader& reader_;
  const EpochOrder& order_;
  PreprocessingContract contract_;
  DeviceFrontEnd frontEnd_;
  bool augment_;
  int rank_;
  int worldSize_;
  int64_t crop_;           // crop side in shard pixels
  int64_t windowSamples_;  // the contract's window
  bool pinned_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<HostBatch> ready_;
  int64_t nextToGather_ = -1;  // -1: idle until the first forStep
  bool stopping_ = false;
  std::exception_ptr error_;
  double waitedSeconds_ = 0.0;
  std::thread thread_;
};

}  // namespace heardmap
