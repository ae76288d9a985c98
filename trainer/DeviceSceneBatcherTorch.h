// Torch side of DeviceSceneBatcher.h (only torch translation units include this).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "DeviceFrontEndTorch.h"
#include "DeviceSceneBatcher.h"

namespace heardmap {

// Where one picture lies in an atlas (px, without the replicated margin around it).
struct AtlasRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

struct DeviceSceneBatcher::Impl {
  Impl(const SceneSynthesizer& synthesizer, const PreprocessingContract& contract,
       torch::Device device);

  // B x 3 x S x S pictures, 0..255 in float (rounded after the background and after every
  // object, as the CPU renderer's 8-bit canvas).
  torch::Tensor images(const std::vector<ScenePlan>& plans) const;
  // The model's input: (images / 255 - mean) / std.
  torch::Tensor normalisedImages(const std::vector<ScenePlan>& plans) const;
  // B x N audio windows in [-1, 1].
  torch::Tensor audio(const std::vector<ScenePlan>& plans, uint64_t noiseSeed) const;
  const SceneSynthesizer& synthesizer;
  PreprocessingContract contract;
  torch::Device device;
  torch::Tensor objectAtlas;               // 1 x 4 x H x W, 0..255 (RGBA)
  torch::Tensor backgroundAtlas;           // 1 x 3 x H x W, 0..255
  std::vector<AtlasRect> objectRects;      // per pack object (empty rect when not in the split)
  std::vector<AtlasRect> backgroundRects;  // per pack background
  torch::Tensor soundBank;                 // every sound of the split, end to end
  std::vector<int64_t> soundOffsets;       // per pack object: start in soundBank
  DeviceFrontEnd frontEnd;                 // spectrograms and image normalisation
};

}  // namespace heardmap
