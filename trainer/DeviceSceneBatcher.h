// Renders batches of synthetic scenes where the model trains (the GPU when there is one): the
// split's backgrounds, object cut-outs and sounds are uploaded once, then each batch of
// ScenePlans (drawn on the CPU, microseconds each) becomes pictures, audio windows and
// spectrograms on the device, so the GPU does not wait for the CPU synthesizer. The pictures and
// sounds are those of SceneSynthesizer::render for the same plans (up to rounding); only the
// Gaussian noise is drawn on the device, from a generator seeded per batch.
// Torch-free interface (the trainer's torch side is DeviceSceneBatcherTorch.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/PreprocessingContract.h"
#include "core/RgbImage.h"
#include "core/data/SceneSynthesizer.h"

namespace heardmap {

class DeviceSceneBatcher {
 public:
  // device: "cpu" or "cuda". Throws std::runtime_error when the device is not available.
  DeviceSceneBatcher(const SceneSynthesizer& synthesizer, const PreprocessingContract& contract,
                     const std::string& device);
  ~DeviceSceneBatcher();
  DeviceSceneBatcher(const DeviceSceneBatcher&) = delete;
  DeviceSceneBatcher& operator=(const DeviceSceneBatcher&) = delete;

  // Host copies (tests and tools): the rendered pictures, and audio windows whose Gaussian noise
  // comes from noiseSeed.
  std::vector<RgbImage> renderImages(const std::vector<ScenePlan>& plans) const;
  std::vector<std::vector<float>> renderAudio(const std::vector<ScenePlan>& plans,
                                              uint64_t noiseSeed) const;
  // The contract's log spectrograms of windows computed on the device, row-major [bins][frames].
  std::vector<std::vector<float>> spectrograms(
      const std::vector<std::vector<float>>& windows) const;
  // Bytes of assets held on the device.
  int64_t assetBytes() const;

  struct Impl;  // DeviceSceneBatcherTorch.h
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace heardmap
