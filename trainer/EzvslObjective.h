// EZ-VSL's multiple-instance contrastive loss (stoneMo/EZ-VSL model.py, max_xmil_loss):
// logit(i, j) = max over locations p of <v_i(p), a_j> / tau; symmetric InfoNCE on the batch.
// MarginNCE is the same with a margin m on the positive pair: logit(i, i) = (s_ii - m) / tau.
#pragma once

#include <vector>

namespace heardmap {

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

}  // namespace heardmap
