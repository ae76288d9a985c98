// Internal torch header of heardmap_ml: the EZ-VSL-family networks (torchvision / EZ-VSL module
// names) and access to a LocalizationModel's network for training. Only torch translation units
// (core/ml/*.cpp, trainer/*.cpp) include this; everything else uses LocalizationModel.h.
#pragma once

#include <torch/torch.h>

#include "LocalizationModel.h"

namespace heardmap {
namespace nn = torch::nn;

// torchvision BasicBlock: conv3x3-bn-relu-conv3x3-bn (+ downsample) + relu.
struct BasicBlockImpl : nn::Module {
  BasicBlockImpl(int64_t inChannels, int64_t outChannels, int64_t stride)
      : conv1(nn::Conv2dOptions(inChannels, outChannels, 3).stride(stride).padding(1).bias(false)),
        bn1(outChannels),
        conv2(nn::Conv2dOptions(outChannels, outChannels, 3).stride(1).padding(1).bias(false)),
        bn2(outChannels) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    register_module("conv2", conv2);
    register_module("bn2", bn2);
    if (stride != 1 || inChannels != outChannels) {
      downsample = nn::Sequential(
          nn::Conv2d(nn::Conv2dOptions(inChannels, outChannels, 1).stride(stride).bias(false)),
          nn::BatchNorm2d(outChannels));
      register_module("downsample", downsample);
    }
  }

  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor out = torch::relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    const torch::Tensor identity = downsample.is_empty() ? x : downsample->forward(x);
    return torch::relu(out + identity);
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

// torchvision ResNet-18 without avgpool/fc: returns the layer4 feature map.
struct ResNetTrunkImpl : nn::Module {
  ResNetTrunkImpl(int64_t inChannels, int64_t width, int64_t layer4Stride = 2)
      : conv1(nn::Conv2dOptions(inChannels, width, 7).stride(2).padding(3).bias(false)),
        bn1(width) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    layer1 = register_module("layer1", makeLayer(width, width, 1));
    layer2 = register_module("layer2", makeLayer(width, 2 * width, 2));
    layer3 = register_module("layer3", makeLayer(2 * width, 4 * width, 2));
    layer4 = register_module("layer4", makeLayer(4 * width, 8 * width, layer4Stride));
  }

  static nn::Sequential makeLayer(int64_t in, int64_t out, int64_t stride) {
    return nn::Sequential(BasicBlock(in, out, stride), BasicBlock(out, out, 1));
  }

  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(bn1(conv1(x)));
    x = torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
    return layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
};
TORCH_MODULE(ResNetTrunk);

// EZ-VSL (stoneMo/EZ-VSL model.py names): imgnet, img_proj, audnet, aud_proj.
struct EzvslNetImpl : nn::Module {
  explicit EzvslNetImpl(const ModelConfig& config)
      : imgnet(3, config.baseWidth, config.layer4Stride),
        img_proj(nn::Conv2dOptions(8 * config.baseWidth, config.embedDim, 1)),
        audnet(1, config.baseWidth, config.layer4Stride),
        aud_proj(8 * config.baseWidth, config.embedDim) {
    register_module("imgnet", imgnet);
    register_module("img_proj", img_proj);
    register_module("audnet", audnet);
    register_module("aud_proj", aud_proj);
  }

  // B x D x h x w, unit length over D.
  torch::Tensor encodeImage(const torch::Tensor& image) {
    torch::Tensor features = imgnet(image);
    if (imageDropout > 0.0 && is_training()) {
      // FNAC: dropout on the backbone map before the projection, in training only.
      features = torch::dropout(features, imageDropout, /*train=*/true);
    }
    return torch::nn::functional::normalize(img_proj(features),
                                            nn::functional::NormalizeFuncOptions().dim(1));
  }

  // Probability of dropping backbone activations while training (FNAC uses 0.9; 0 = off).
  double imageDropout = 0.0;

  // B x D, unit length.
  torch::Tensor encodeAudio(const torch::Tensor& spectrogram) {
    torch::Tensor a = audnet(spectrogram);
    a = torch::amax(a, {2, 3});
    return torch::nn::functional::normalize(aud_proj(a),
                                            nn::functional::NormalizeFuncOptions().dim(1));
  }

  ResNetTrunk imgnet;
  nn::Conv2d img_proj;
  ResNetTrunk audnet;
  nn::Linear aud_proj;
};
TORCH_MODULE(EzvslNet);

inline void initializeWeights(nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& child : module.modules(/*include_self=*/false)) {
    if (auto* conv = child->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      if (conv->bias.defined()) {
        nn::init::zeros_(conv->bias);
      }
    } else if (auto* bn = child->as<nn::BatchNorm2d>()) {
      nn::init::normal_(bn->weight, 1.0, 0.02);
      nn::init::zeros_(bn->bias);
    } else if (auto* linear = child->as<nn::Linear>()) {
      nn::init::normal_(linear->weight, 0.0, 0.01);
      linear->weight.clamp_(-0.02, 0.02);  // truncated at two standard deviations
      nn::init::zeros_(linear->bias);
    }
  }
}

// The network inside a model (training runs on it directly).
EzvslNet& networkOf(LocalizationModel& model);
// Frames (any size) -> N x 3 x S x S, resized (bicubic, antialiased) and normalised per contract.
torch::Tensor imageTensor(const std::vector<const RgbImage*>& frames,
                          const PreprocessingContract& contract);
// Audio windows -> N x 1 x F x T log spectrograms per contract.
torch::Tensor spectrogramTensor(const std::vector<const std::vector<float>*>& windows,
                                const PreprocessingContract& contract);

}  // namespace heardmap
