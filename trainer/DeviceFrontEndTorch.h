// The contract's front end on the training device: audio windows to log spectrograms (as
// core/Spectrogram computes them on the CPU, in float) and 0..255 pictures to the model's
// normalised input. Shared by the scenes rendered on the device and the batches read from shards.
// Internal torch header of the trainer.
#pragma once

#include <torch/torch.h>

#include "core/PreprocessingContract.h"

namespace heardmap {

// Crops square windows of `crop` pixels at (left, top) (B x 1 float tensors, pixels of the
// input) out of B x C x S x S images, resizes them back to S x S (bilinear, as interpolate with
// align_corners = false on the crop) and mirrors the rows where flip (B x 1 bool) is set: one
// grid_sample for the batch.
torch::Tensor resizedCropFlip(const torch::Tensor& images, const torch::Tensor& left,
                              const torch::Tensor& top, const torch::Tensor& flip, int64_t crop,
                              int64_t outputSize);

class DeviceFrontEnd {
 public:
  DeviceFrontEnd(const PreprocessingContract& contract, torch::Device device);

  // B x N windows -> B x 1 x bins x frames: scipy.signal.spectrogram (periodic Tukey, constant
  // detrend, one-sided density) then log(P + offset) / std.
  torch::Tensor spectrograms(const torch::Tensor& windows) const;
  // B x 3 x S x S pictures, 0..255 -> (images / 255 - mean) / std.
  torch::Tensor normalised(const torch::Tensor& images) const;
  torch::Device device() const { return device_; }

 private:
  PreprocessingContract contract_;
  torch::Device device_;
  torch::Tensor window_;      // the contract's periodic Tukey window
  torch::Tensor powerScale_;  // per bin: density scaling, doubled for the one-sided spectrum
  torch::Tensor imageMean_;   // 1 x 3 x 1 x 1, the contract's normalisation
  torch::Tensor imageStd_;
};

}  // namespace heardmap
