// Torch translation unit: the objectives.

#include "EzvslObjectiveTorch.h"

namespace heardmap {

torch::Tensor ezvslLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                        double marginCosine) {
  const int64_t batch = visual.size(0);
  // similarity[i][j][p] = <v_i(p), a_j>; logits = max over p, with the margin taken off the
  // positive pairs. Audio rows past the batch are extra negatives (SSL-SaN silence / noise).
  const torch::Tensor similarity = torch::einsum("ndhw,md->nmhw", {visual, audio}).flatten(2);
  torch::Tensor cosines = std::get<0>(similarity.max(2));  // B x (B + K), image i vs audio j
  if (marginCosine != 0.0) {
    cosines = cosines - marginCosine * torch::eye(batch, audio.size(0), cosines.options());
  }
  const torch::Tensor logits = cosines / temperature;
  const torch::Tensor labels =
      torch::arange(batch, torch::TensorOptions().dtype(torch::kLong).device(visual.device()));
  // image -> audio over all columns; audio -> image for the batch's own audio only.
  return torch::nn::functional::cross_entropy(logits, labels) +
         torch::nn::functional::cross_entropy(logits.narrow(1, 0, batch).t(), labels);
}

torch::Tensor fnacLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                       double lambda) {
  namespace F = torch::nn::functional;
  const torch::Tensor similarity =
      torch::einsum("ndhw,md->nmhw", {visual, audio}).flatten(2);  // B x B x P
  const torch::Tensor logits = std::get<0>(similarity.max(2)) / temperature;
  const torch::Tensor audioAffinity = torch::mm(audio, audio.t()) / temperature;
  const torch::Tensor visualMean = visual.flatten(2).mean(2);  // spatial mean, not re-normalised
  const torch::Tensor visualAffinity = torch::mm(visualMean, visualMean.t()) / temperature;
  // Foreground: each image's own-audio map S_ii(p), min-max normalised, thresholded at 0.6.
  const torch::Tensor self = similarity.diagonal(0, 0, 1).t();  // B x P
  const torch::Tensor low = std::get<0>(self.min(1, /*keepdim=*/true));
  const torch::Tensor high = std::get<0>(self.max(1, /*keepdim=*/true));
  const torch::Tensor mask =
      ((self - low) / (high - low + 1e-5) > 0.6).to(visual.dtype());                 // B x P
  const torch::Tensor foreground = (visual.flatten(2) * mask.unsqueeze(1)).mean(2);  // B x D
  const torch::Tensor foregroundAffinity = torch::mm(foreground, foreground.t()) / temperature;
  const auto rows = [](const torch::Tensor& t) { return F::softmax(t, F::SoftmaxFuncOptions(1)); };
  const torch::Tensor fns1 = (rows(audioAffinity) - rows(logits)).abs().mean();
  const torch::Tensor fns2 = (rows(visualAffinity) - rows(logits)).abs().mean();
  const torch::Tensor tne = (rows(audioAffinity) - rows(foregroundAffinity)).abs().mean();
  return ezvslLoss(visual, audio, temperature) + lambda * (fns1 + tne + fns2);
}

torch::Tensor lvsLoss(const torch::Tensor& visual, const torch::Tensor& audio, double epsP,
                      double epsN, double tauTrimap, double temperature) {
  namespace F = torch::nn::functional;
  const int64_t batch = visual.size(0);
  const torch::Tensor similarity =
      torch::einsum("ndhw,md->nmhw", {visual, audio}).flatten(2);  // B x B x P
  // sum(sigmoid(z) * A) / sum(sigmoid(z)) as a softmax over log-sigmoid weights: the same number,
  // without 0 / 0 when every location is far below the threshold.
  const auto weighted = [&](const torch::Tensor& logWeights) {
    return (F::softmax(logWeights, F::SoftmaxFuncOptions(2)) * similarity).sum(2);
  };
  const torch::Tensor positive = weighted(F::logsigmoid((similarity - epsP) / tauTrimap));  // B x B
  const torch::Tensor hard =
      weighted(F::logsigmoid(-(similarity - epsN) / tauTrimap)).diagonal();  // B
  const torch::Tensor eye = torch::eye(batch, positive.options().dtype(torch::kBool));
  const torch::Tensor others = positive.masked_select(eye.logical_not()).view({batch, batch - 1});
  const torch::Tensor logits =
      torch::cat({positive.diagonal().unsqueeze(1), others, hard.unsqueeze(1)}, 1) / temperature;
  const torch::Tensor labels =
      torch::zeros({batch}, torch::TensorOptions().dtype(torch::kLong).device(visual.device()));
  return F::cross_entropy(logits, labels);
}

torch::Tensor simSiamLoss(const torch::Tensor& p1, const torch::Tensor& z1, const torch::Tensor& p2,
                          const torch::Tensor& z2) {
  return -0.5 * (torch::cosine_similarity(p1, z2.detach(), 1).mean() +
                 torch::cosine_similarity(p2, z1.detach(), 1).mean());
}

}  // namespace heardmap
