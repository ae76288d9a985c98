// Torch translation unit: the contract's front end on the training device.
#include "DeviceFrontEndTorch.h"

#include <array>
#include <vector>

#include "core/Spectrogram.h"

namespace heardmap {

DeviceFrontEnd::DeviceFrontEnd(const PreprocessingContract& contract, torch::Device device)
    : contract_(contract), device_(device) {
  // The CPU front-end's window and density scaling, and the one-sided fold: every bin but DC
  // (and Nyquist for an even FFT) counts twice.
  const Spectrogram cpu(contract);
  window_ = torch::tensor(cpu.window()).to(torch::kFloat).to(device);
  std::vector<double> fold(static_cast<size_t>(contract.frequencyBins()), 2.0 * cpu.densityScale());
  fold.front() = cpu.densityScale();
  if (contract.fftSize % 2 == 0) {
    fold.back() = cpu.densityScale();
  }
  powerScale_ = torch::tensor(fold).to(torch::kFloat).to(device);
  const auto rgb = [&](const std::array<float, 3>& v) {
    return torch::tensor({v[0], v[1], v[2]}).to(device).view({1, 3, 1, 1});
  };
  imageMean_ = rgb(contract.imageMean);
  imageStd_ = rgb(contract.imageStd);
}

torch::Tensor DeviceFrontEnd::spectrograms(const torch::Tensor& windows) const {
  torch::NoGradGuard noGrad;
  torch::Tensor frames = windows.to(device_).unfold(1, contract_.segmentSamples,
                                                    contract_.hopSamples());  // B x T x segment
  frames = (frames - frames.mean({-1}, /*keepdim=*/true)) * window_;
  const torch::Tensor spectrum = torch::fft::rfft(frames, contract_.fftSize, -1);
  const torch::Tensor power = torch::view_as_real(spectrum).square().sum(-1) * powerScale_;
  return ((power + contract_.logOffset).log() / contract_.spectrogramStd)
      .permute({0, 2, 1})
      .unsqueeze(1)
      .contiguous();
}

torch::Tensor resizedCropFlip(const torch::Tensor& images, const torch::Tensor& left,
                              const torch::Tensor& top, const torch::Tensor& flip, int64_t crop,
                              int64_t outputSize) {
  namespace F = torch::nn::functional;
  const int64_t batch = images.size(0);
  const int64_t size = images.size(2);
  const int64_t out = outputSize;
  const auto cpu = torch::TensorOptions().dtype(torch::kFloat);
  const double scale = static_cast<double>(crop) / static_cast<double>(out);
  const torch::Tensor index = torch::arange(out, cpu).unsqueeze(0).expand({batch, out});
  // Source pixel of output index j inside the crop at origin, clamped to the crop.
  const auto source = [&](const torch::Tensor& origin, const torch::Tensor& j) {
    return torch::minimum(torch::maximum(origin + (j + 0.5) * scale - 0.5, origin),
                          origin + static_cast<double>(crop - 1));
  };
  const torch::Tensor columns = torch::where(flip.cpu(), (out - 1) - index, index);
  const auto normalised = [&](const torch::Tensor& pixels) {
    return (pixels + 0.5) * (2.0 / static_cast<double>(size)) - 1.0;
  };
  const torch::Tensor gx =
      normalised(source(left.cpu(), columns)).unsqueeze(1).expand({-1, out, -1});
  const torch::Tensor gy = normalised(source(top.cpu(), index)).unsqueeze(2).expand({-1, -1, out});
  const torch::Tensor grid = torch::stack({gx, gy}, -1).to(images.options());
  return F::grid_sample(images, grid,
                        F::GridSampleFuncOptions()
                            .mode(torch::kBilinear)
                            .padding_mode(torch::kBorder)
                            .align_corners(false));
}

torch::Tensor DeviceFrontEnd::normalised(const torch::Tensor& images) const {
  return (images / 255.0f - imageMean_) / imageStd_;
}

}  // namespace heardmap
