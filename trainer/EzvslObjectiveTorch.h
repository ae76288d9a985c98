// Torch side of EzvslObjective.h (only torch translation units include this).
#pragma once

#include <torch/torch.h>

namespace heardmap {

// visual: B x D x H x W, audio: B x D (both L2-normalised over D). Returns the scalar loss.
torch::Tensor ezvslLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature);

}  // namespace heardmap
