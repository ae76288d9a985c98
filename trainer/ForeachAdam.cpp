// Torch translation unit: ForeachAdam and its torch-free test entry points.
#include "ForeachAdam.h"

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

std::vector<float> foreachAdamWeights(const std::vector<float>& initial,
                                      const std::vector<std::vector<float>>& gradients,
                                      double learningRate, double weightDecay) {
  const auto size = static_cast<int64_t>(initial.size());
  torch::Tensor weight = torch::tensor(initial).set_requires_grad(true);
  ForeachAdam optimizer({weight},
                        torch::optim::AdamOptions(learningRate).weight_decay(weightDecay));
  for (const std::vector<float>& gradient : gradients) {
    TORCH_CHECK(static_cast<int64_t>(gradient.size()) == size, "gradient of another size");
    weight.mutable_grad() = torch::tensor(gradient);
    optimizer.step();
  }
  const torch::Tensor result = weight.detach().contiguous();
  return {result.data_ptr<float>(), result.data_ptr<float>() + size};
}

AdamAgreement compareForeachAdamWithAdam(int steps, double weightDecay) {
  const std::vector<std::vector<int64_t>> shapes = {{6, 3, 3, 3}, {5, 7}, {9}};
  constexpr size_t kVector = 2;                   // the parameter without early gradients
  constexpr int kStepsWithoutVectorGradient = 2;  // its first steps without one
  torch::manual_seed(20261201);
  std::vector<torch::Tensor> foreachWeights;
  std::vector<torch::Tensor> adamWeights;
  for (const auto& shape : shapes) {
    foreachWeights.push_back(torch::randn(shape).set_requires_grad(true));
    adamWeights.push_back(foreachWeights.back().detach().clone().set_requires_grad(true));
  }
  const auto options = torch::optim::AdamOptions(1e-2).weight_decay(weightDecay);
  ForeachAdam foreachAdam(foreachWeights, options);
  torch::optim::Adam adam(adamWeights, options);
  std::vector<torch::Tensor> resumedWeights;
  std::unique_ptr<torch::optim::Adam> resumed;

  AdamAgreement agreement;
  const auto maxDifference = [](const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
  };
  const auto moment = [](const torch::optim::Optimizer& optimizer, const torch::Tensor& weight,
                         bool second) {
    const auto& state = static_cast<const torch::optim::AdamParamState&>(
        *optimizer.state().at(stateKeyOf<StateMap::key_type>(weight)));
    return second ? state.exp_avg_sq() : state.exp_avg();
  };
  for (int step = 0; step < steps; ++step) {
    if (step == steps / 2) {
      // Resume a torch::optim::Adam from ForeachAdam's archive; it goes on beside the others.
      std::ostringstream archive;
      torch::save(foreachAdam, archive);
      for (const torch::Tensor& weight : foreachWeights) {
        resumedWeights.push_back(weight.detach().clone().set_requires_grad(true));
      }
      resumed = std::make_unique<torch::optim::Adam>(resumedWeights, options);
      std::istringstream input(archive.str());
      torch::load(*resumed, input);
    }
    for (size_t i = 0; i < shapes.size(); ++i) {
      const bool hasGradient = i != kVector || step >= kStepsWithoutVectorGradient;
      const torch::Tensor gradient = torch::randn(shapes[i]);
      for (std::vector<torch::Tensor>* weights : {&foreachWeights, &adamWeights, &resumedWeights}) {
        if (!weights->empty()) {
          (*weights)[i].mutable_grad() = hasGradient ? gradient.clone() : torch::Tensor();
        }
      }
    }
    foreachAdam.step();
    adam.step();
    if (resumed) {
      resumed->step();
    }
    for (size_t i = 0; i < shapes.size(); ++i) {
      agreement.maxWeightDifference =
          std::max(agreement.maxWeightDifference, maxDifference(foreachWeights[i], adamWeights[i]));
      if (i != kVector || step >= kStepsWithoutVectorGradient) {
        for (const bool second : {false, true}) {
          agreement.maxMomentDifference =
              std::max(agreement.maxMomentDifference,
                       maxDifference(moment(foreachAdam, foreachWeights[i], second),
                                     moment(adam, adamWeights[i], second)));
        }
      }
      if (resumed) {
        agreement.maxResumedDifference = std::max(
            agreement.maxResumedDifference, maxDifference(foreachWeights[i], resumedWeights[i]));
      }
    }
  }
  const auto stepsOf = [&](const torch::Tensor& weight) {
    return static_cast<const torch::optim::AdamParamState&>(
               *foreachAdam.state().at(stateKeyOf<StateMap::key_type>(weight)))
        .step();
  };
  agreement.vectorSteps = stepsOf(foreachWeights[kVector]);
  agreement.matrixSteps = stepsOf(foreachWeights[1]);
  return agreement;
}

}  // namespace heardmap
