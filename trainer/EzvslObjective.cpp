// Torch translation unit.
#include "EzvslObjective.h"

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

}  // namespace heardmap
