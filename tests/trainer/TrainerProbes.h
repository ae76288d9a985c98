// Torch-free entry points into the trainer's torch code, for tests/trainer/tst_Objectives.cpp (a Qt
// translation unit, which may not include torch): the objectives on plain arrays, and ForeachAdam
// beside torch::optim::Adam. Compiled into the test only (TrainerProbes.cpp).
#pragma once

#include <vector>

namespace heardmap {

// The objectives (trainer/EzvslObjectiveTorch.h) on plain arrays. EZ-VSL's multiple-instance
// contrastive loss (stoneMo/EZ-VSL model.py, max_xmil_loss): logit(i, j) = max over locations p of
// <v_i(p), a_j> / tau, symmetric InfoNCE on the batch; MarginNCE with a margin m on the positive.
// SSL-SaN (provisional recipe, docs/training.md "Methods") appends silence / noise audio as extra
// negative columns of the image -> audio softmax. Torch-free evaluation for tests: v is B x D x H x
// W (unit vectors over D), a is (B + K) x D.
double ezvslLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                      int height, int width, double temperature, double marginCosine = 0.0);

// FNAC (see EzvslObjectiveTorch.h), torch-free for tests; a is B x D here.
double fnacLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                     int height, int width, double temperature, double lambda);

// LVS (see EzvslObjectiveTorch.h), torch-free for tests; a is B x D.
double lvsLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim,
                    int height, int width, double epsP, double epsN, double tauTrimap,
                    double temperature);

// SimSiam's loss (EzvslObjectiveTorch.h), torch-free for tests: rows of length dim.
double simSiamLossValue(const std::vector<float>& p1, const std::vector<float>& z1,
                        const std::vector<float>& p2, const std::vector<float>& z2, int rows,
                        int dim);

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
