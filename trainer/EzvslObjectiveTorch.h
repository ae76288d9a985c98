// Internal torch header of the trainer: the objectives (only torch translation units include this;
// tests/trainer/TrainerProbes.h runs them on plain arrays).
#pragma once

#include <torch/torch.h>

namespace heardmap {

// visual: B x D x H x W, audio: (B + K) x D (both L2-normalised over D); audio rows B.. are extra
// negatives with no image of their own (SSL-SaN's silence and noise). Returns the scalar loss.
// marginCosine (MarginNCE): the positive logit is (s_ii - m) / tau; m = 0 is EZ-VSL, m < 0 boosts
// the positive so the loss stops pushing once it is "close enough".
torch::Tensor ezvslLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                        double marginCosine = 0.0);

// FNAC's false-negative-aware terms (OpenNLPLab/FNAC_AVL): the EZ-VSL loss plus
// lambda * (L_FNS1 + L_TNE + L_FNS2), three element-wise L1 distances between row-softmaxed B x B
// affinities: audio-audio vs cross-modal, image-image (spatial means) vs cross-modal, and
// audio-audio vs foreground image features (locations above 0.6 of the min-max self-similarity).
torch::Tensor fnacLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                       double lambda);

// LVS's hard-way loss (hche11/Localizing-Visual-Sounds-the-Hard-Way): differentiable trimap masks
// Pos = sigmoid((A - epsP) / tauTrimap), Neg = 1 - sigmoid((A - epsN) / tauTrimap) on the cosine
// map A; per image i the logits [s_pos(i), s_ij for j != i, s_hn(i)] / temperature with
// s = sum(mask * A) / sum(mask) (positive mask on own and other audio, negative mask = the
// image's own background as the hard negative); cross-entropy with the target at index 0.
torch::Tensor lvsLoss(const torch::Tensor& visual, const torch::Tensor& audio, double epsP,
                      double epsN, double tauTrimap, double temperature);

// SimSiam's symmetric negative cosine: 0.5 * (-cos(p1, sg(z2)) - cos(p2, sg(z1))), batch mean.
torch::Tensor simSiamLoss(const torch::Tensor& p1, const torch::Tensor& z1, const torch::Tensor& p2,
                          const torch::Tensor& z2);

}  // namespace heardmap
