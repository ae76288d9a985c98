// ForeachAdam (see ForeachAdamTorch.h), torch-free for tests.
#pragma once

#include <vector>

namespace heardmap {

// The weights after ForeachAdam has applied `gradients` one step each to one parameter that
// starts at `initial` (Adam's default betas and eps).
std::vector<float> foreachAdamWeights(const std::vector<float>& initial,
                                      const std::vector<std::vector<float>>& gradients,
                                      double learningRate, double weightDecay);

// How far ForeachAdam is from torch::optim::Adam on the same run: three parameters (a 4-D
// convolution weight, a matrix, a vector), seeded random gradients for `steps` steps, the vector
// without a gradient for the first two (so step counts differ), and halfway through the
// ForeachAdam state saved and loaded into a fresh torch::optim::Adam that goes on beside it.
struct AdamAgreement {
  double maxWeightDifference = 0.0;   // over all parameters and steps, ForeachAdam vs Adam
  double maxMomentDifference = 0.0;   // exp_avg and exp_avg_sq, likewise
  double maxResumedDifference = 0.0;  // the Adam resumed from ForeachAdam's archive vs ForeachAdam
  long long vectorSteps = 0;          // the vector's step count at the end
  long long matrixSteps = 0;          // the matrix's step count at the end
};
AdamAgreement compareForeachAdamWithAdam(int steps, double weightDecay);

}  // namespace heardmap
