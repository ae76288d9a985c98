// The model inputs of each training step, on the training device: synthetic positive scenes
// (rendered on the device by DeviceSceneBatcher, or on the CPU by SceneSynthesizer on several
// threads), pairs from the user's own videos, or a dataset's shards (ShardBatches), plus a
// method's extra negative audio (SSL-SaN's silence and noise). Seeds depend only on (run seed,
// step, index in the global batch), so a resumed run, a run with another thread count and a run
// split over several processes (each making its part of the global batch) see the same inputs.
// Internal torch header.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "DeviceSceneBatcher.h"
#include "ShardBatchesTorch.h"
#include "core/PreprocessingContract.h"
#include "core/data/ClipPack.h"
#include "core/data/SceneSynthesizer.h"
#include "core/ml/TrainingConfig.h"

namespace heardmap {

// Stores every 4-D weight of module (the convolutions) in a memory layout: ChannelsLast (NHWC)
// for --channels-last training, whose inputs TrainingBatches makes NHWC too, and Contiguous
// again for inference on the CPU (where NHWC transposed convolutions are very slow).
void setConvolutionLayout(torch::nn::Module& module, torch::MemoryFormat layout);

class TrainingBatches {
 public:
  // Where the positives come from: shards (config.shardsPath, opened here), else clips (the
  // user's pairs; nullptr: synthetic scenes). renderOnDevice: DeviceSceneBatcher on `device` for
  // the scenes; else the CPU synthesizer on config.dataThreads. extraNegatives: per process. This
  // process makes part `rank` of `worldSize` of every global batch of config.batchSize.
  TrainingBatches(const TrainingConfig& config, const SceneSynthesizer& scenes,
                  const ClipPack* clips, int extraNegatives, const PreprocessingContract& contract,
                  torch::Device device, bool renderOnDevice, int rank = 0, int worldSize = 1);
  ~TrainingBatches();

  // Images B x 3 x S x S (normalised) and spectrograms (B + extra) x 1 x F x T, on the device.
  std::pair<torch::Tensor, torch::Tensor> forStep(int64_t step) const;
  bool rendersOnDevice() const { return deviceScenes_ != nullptr; }
  // With shards: the reader (its folder, index and sample count) and steps in one epoch.
  const ShardReader* shards() const { return shardReader_.get(); }
  int64_t stepsPerEpoch() const { return epochOrder_ ? epochOrder_->stepsPerEpoch() : 0; }
  // Seconds the steps waited for the shard loader (0 without shards).
  double loaderWaitSeconds() const;

  // The seed of item `index` of a step.
  static uint64_t seedOf(uint64_t runSeed, int64_t step, int index);

 private:
  std::pair<torch::Tensor, torch::Tensor> inputsFor(int64_t step) const;

  const TrainingConfig& config_;
  const SceneSynthesizer& scenes_;
  const ClipPack* clips_;
  int extraNegatives_;
  PreprocessingContract contract_;
  torch::Device device_;
  int localBatch_;    // this process's part of the global batch
  int firstIndex_;    // its first item's index in the global batch
  int negativeBase_;  // its first extra negative's index among all processes'
  std::unique_ptr<DeviceSceneBatcher> deviceScenes_;
  std::unique_ptr<ShardReader> shardReader_;
  std::unique_ptr<EpochOrder> epochOrder_;
  std::unique_ptr<ShardBatches> shardBatches_;
};

}  // namespace heardmap
