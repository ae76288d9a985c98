// The model inputs of each training step, on the training device: synthetic positive scenes
// (rendered on the device by DeviceSceneBatcher, or on the CPU by SceneSynthesizer on several
// threads) or pairs from the user's own videos, plus a method's extra negative audio (SSL-SaN's
// silence and noise). Seeds depend only on (run seed, step, index), so a resumed run and a run
// with another batch layout or thread count see the same scenes. Internal torch header.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "DeviceSceneBatcher.h"
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
  // clips: the user's pairs instead of synthetic positives (nullptr: scenes). renderOnDevice:
  // DeviceSceneBatcher on `device` for the scenes; else the CPU synthesizer on
  // config.dataThreads.
  TrainingBatches(const TrainingConfig& config, const SceneSynthesizer& scenes,
                  const ClipPack* clips, int extraNegatives, const PreprocessingContract& contract,
                  torch::Device device, bool renderOnDevice);

  // Images B x 3 x S x S (normalised) and spectrograms (B + extra) x 1 x F x T, on the device.
  std::pair<torch::Tensor, torch::Tensor> forStep(int64_t step) const;
  bool rendersOnDevice() const { return deviceScenes_ != nullptr; }

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
  std::unique_ptr<DeviceSceneBatcher> deviceScenes_;
};

}  // namespace heardmap
