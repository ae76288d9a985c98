// Torch translation unit.
#include "EzvslObjective.h"

#include "EzvslObjectiveTorch.h"

namespace heardmap {

torch::Tensor ezvslLoss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                        double marginCosine) {
  const int64_t batch = visual.size(0);
  // similarity[i][j][p] = <v_i(p), a_j>; logits = max over p, with the margin taken off the diagonal
  const torch::Tensor similarity = torch::einsum("ndhw,md->nmhw", {visual, audio}).flatten(2);
  torch::Tensor cosines = std::get<0>(similarity.max(2));  // B x B, image i vs audio j
  if (marginCosine != 0.0) {
    cosines = cosines - marginCosine * torch::eye(batch, cosines.options());
  }
  const torch::Tensor logits = cosines / temperature;
  const torch::Tensor labels = torch::arange(batch, torch::TensorOptions().dtype(torch::kLong).device(visual.device()));
  return torch::nn::functional::cross_entropy(logits, labels) +
         torch::nn::functional::cross_entropy(logits.t(), labels);
}

double ezvslLossValue(const std::vector<float>& v, const std::vector<float>& a, int batch, int dim, int height,
                      int width, double temperature, double marginCosine) {
  torch::NoGradGuard noGrad;
  const torch::Tensor visual = torch::from_blob(const_cast<float*>(v.data()), {batch, dim, height, width}).clone();
  const torch::Tensor audio = torch::from_blob(const_cast<float*>(a.data()), {batch, dim}).clone();
  return ezvslLoss(visual, audio, temperature, marginCosine).item<double>();
}

}  // namespace heardmap
