// Internal torch header of the trainer: Adam updating all parameters with a few multi-tensor
// (foreach) operations.
#pragma once

#include <torch/optim/adam.h>

#include <string>
#include <type_traits>
#include <utility>

namespace heardmap {

// The key of a parameter's state in torch::optim::Optimizer::state(): the TensorImpl's address,
// printed (LibTorch 1.x) or as a pointer (2.x); the same keys Adam and its archives use.
using StateMap = std::decay_t<decltype(std::declval<torch::optim::Optimizer&>().state())>;
template <typename Key>
Key stateKeyOf(const torch::Tensor& parameter) {
  if constexpr (std::is_same_v<Key, std::string>) {
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
  } else {
    return parameter.unsafeGetTensorImpl();
  }
}

// torch::optim::Adam with the same arithmetic, state and archive format (a run saved by one
// resumes in the other), whose step() updates every parameter with eight foreach operations in
// all (nine with weight decay) instead of seven or eight operations per parameter: on a GPU a few
// dozen kernel launches a step instead of about a thousand for the two ResNet trunks, as PyTorch's
// own Adam does there (foreach by default on CUDA). Parameters without a gradient are skipped, as
// by Adam; parameters whose step counts differ (a trunk frozen for a while) are updated in groups
// of equal count.
class ForeachAdam : public torch::optim::Adam {
 public:
  using torch::optim::Adam::Adam;

  torch::Tensor step(LossClosure closure = nullptr) override;

  // Drops every parameter's gradient, so that the next backward pass writes fresh ones (no
  // zeroing and no accumulation kernels; PyTorch's zero_grad(set_to_none=True)).
  void clearGradients();
};

}  // namespace heardmap
