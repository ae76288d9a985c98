// Torch translation unit of the tests (no Qt here): the bodies of TrainerProbes.h.
#include "TrainerProbes.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "trainer/EzvslObjectiveTorch.h"
#include "trainer/ForeachAdamTorch.h"

namespace heardmap {

double lvsLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                    int height, int width, double epsP, double epsN, double tauTrimap,
                    double temperature) {
  torch::NoGradGuard noGrad;
  const torch::Tensor visual =
      torch::from_blob(const_cast<float*>(v.data()), {batch, dim, height, width}).clone();
  const torch::Tensor audio = torch::from_blob(const_cast<float*>(a.data()), {batch, dim}).clone();
  return lvsLoss(visual, audio, epsP, epsN, tauTrimap, temperature).item<double>();
}

double simSiamLossValue(const std::vector<float>& p1, const std::vector<float>& z1,
                        const std::vector<float>& p2, const std::vector<float>& z2, int rows,
                        int dim) {
  torch::NoGradGuard noGrad;
  const auto tensor = [&](const std::vector<float>& v) {
    return torch::from_blob(const_cast<float*>(v.data()), {rows, dim}).clone();
  };
  return simSiamLoss(tensor(p1), tensor(z1), tensor(p2), tensor(z2)).item<double>();
}

double fnacLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                     int height, int width, double temperature, double lambda) {
  torch::NoGradGuard noGrad;
  const torch::Tensor visual =
      torch::from_blob(const_cast<float*>(v.data()), {batch, dim, height, width}).clone();
  const torch::Tensor audio = torch::from_blob(const_cast<float*>(a.data()), {batch, dim}).clone();
  return fnacLoss(visual, audio, temperature, lambda).item<double>();
}

double ezvslLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                      int height, int width, double temperature, double marginCosine) {
  torch::NoGradGuard noGrad;
  const torch::Tensor visual =
      torch::from_blob(const_cast<float*>(v.data()), {batch, dim, height, width}).clone();
  const int64_t audioRows = static_cast<int64_t>(a.size()) / dim;
  const torch::Tensor audio =
      torch::from_blob(const_cast<float*>(a.data()), {audioRows, dim}).clone();
  return ezvslLoss(visual, audio, temperature, marginCosine).item<double>();
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
