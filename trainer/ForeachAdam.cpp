// Torch translation unit: ForeachAdam.
#include "ForeachAdamTorch.h"

#include <ATen/ops/_foreach_add.h>
#include <ATen/ops/_foreach_addcdiv.h>
#include <ATen/ops/_foreach_addcmul.h>
#include <ATen/ops/_foreach_div.h>
#include <ATen/ops/_foreach_mul.h>
#include <ATen/ops/_foreach_sqrt.h>
#include <torch/serialize.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "ForeachAdamTorch.h"

namespace heardmap {
namespace {

// The tensors of the parameters that take one update together (one step count).
struct UpdateLists {
  std::vector<torch::Tensor> weights;
  std::vector<torch::Tensor> gradients;
  std::vector<torch::Tensor> firstMoments;
  std::vector<torch::Tensor> secondMoments;
};

}  // namespace

torch::Tensor ForeachAdam::step(LossClosure closure) {
  torch::NoGradGuard noGrad;
  torch::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enableGrad(true);
    loss = closure();
  }
  for (torch::optim::OptimizerParamGroup& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    TORCH_CHECK(!options.amsgrad(), "ForeachAdam does not implement amsgrad");
    std::map<int64_t, UpdateLists> byStepCount;
    for (const torch::Tensor& weight : group.params()) {
      const torch::Tensor& gradient = weight.grad();
      if (!gradient.defined()) {
        continue;
      }
      TORCH_CHECK(!gradient.is_sparse(), "ForeachAdam does not take sparse gradients");
      std::unique_ptr<torch::optim::OptimizerParamState>& slot =
          state_[stateKeyOf<StateMap::key_type>(weight)];
      if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamParamState>();
        fresh->exp_avg(torch::zeros_like(weight, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(weight, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
      }
      auto& state = static_cast<torch::optim::AdamParamState&>(*slot);
      state.step(state.step() + 1);
      UpdateLists& lists = byStepCount[state.step()];
      lists.weights.push_back(weight);
      lists.gradients.push_back(gradient);
      lists.firstMoments.push_back(state.exp_avg());
      lists.secondMoments.push_back(state.exp_avg_sq());
    }
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    for (auto& [stepCount, lists] : byStepCount) {
      const double biasCorrection1 = 1.0 - std::pow(beta1, static_cast<double>(stepCount));
      const double biasCorrection2 = 1.0 - std::pow(beta2, static_cast<double>(stepCount));
      // L2 weight decay on the gradient (Adam's, not AdamW's), out of place as in Adam.
      const std::vector<torch::Tensor> gradients =
          options.weight_decay() != 0.0
              ? at::_foreach_add(lists.gradients, lists.weights, options.weight_decay())
              : lists.gradients;
      at::_foreach_mul_(lists.firstMoments, beta1);
      at::_foreach_add_(lists.firstMoments, gradients, 1.0 - beta1);
      at::_foreach_mul_(lists.secondMoments, beta2);
      at::_foreach_addcmul_(lists.secondMoments, gradients, gradients, 1.0 - beta2);
      std::vector<torch::Tensor> denominators = at::_foreach_sqrt(lists.secondMoments);
      at::_foreach_div_(denominators, std::sqrt(biasCorrection2));
      at::_foreach_add_(denominators, options.eps());
      at::_foreach_addcdiv_(lists.weights, lists.firstMoments, denominators,
                            -options.lr() / biasCorrection1);
    }
  }
  return loss;
}

void ForeachAdam::clearGradients() {
  for (torch::optim::OptimizerParamGroup& group : param_groups_) {
    for (torch::Tensor& weight : group.params()) {
      weight.mutable_grad() = torch::Tensor();
    }
  }
}

}  // namespace heardmap
