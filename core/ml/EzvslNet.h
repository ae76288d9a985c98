// Internal torch header of heardmap_ml: the EZ-VSL-family networks (torchvision / EZ-VSL module
// names) and access to a LocalizationModel's network for training. Only torch translation units
// (core/ml/*.cpp, trainer/*.cpp) include this; everything else uses LocalizationModel.h.
#pragma once

#include <torch/torch.h>

#include "LocalizationModel.h"
#include "SsplVggNet.h"

namespace heardmap {
namespace nn = torch::nn;

// Zero padding (torchvision) or circular padding (ModelConfig::imagePadding); no parameters.
inline nn::Conv2dOptions withPadding(nn::Conv2dOptions options, bool circular) {
  if (circular) {
    options.padding_mode(torch::kCircular);
  }
  return options;
}

// torchvision BasicBlock: conv3x3-bn-relu-conv3x3-bn (+ downsample) + relu.
struct BasicBlockImpl : nn::Module {
  BasicBlockImpl(int64_t inChannels, int64_t outChannels, int64_t stride, bool circular = false)
      : conv1(withPadding(
            nn::Conv2dOptions(inChannels, outChannels, 3).stride(stride).padding(1).bias(false),
            circular)),
        bn1(outChannels),
        conv2(withPadding(
            nn::Conv2dOptions(outChannels, outChannels, 3).stride(1).padding(1).bias(false),
            circular)),
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

// torchvision ResNet-18 without avgpool/fc: returns the layer4 feature map. `circular` pads
// every convolution and the max-pool by wrapping around instead of with zeros (same parameters).
struct ResNetTrunkImpl : nn::Module {
  ResNetTrunkImpl(int64_t inChannels, int64_t width, int64_t layer4Stride = 2,
                  bool circular = false)
      : conv1(withPadding(nn::Conv2dOptions(inChannels, width, 7).stride(2).padding(3).bias(false),
                          circular)),
        bn1(width),
        circular(circular) {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    layer1 = register_module("layer1", makeLayer(width, width, 1, circular));
    layer2 = register_module("layer2", makeLayer(width, 2 * width, 2, circular));
    layer3 = register_module("layer3", makeLayer(2 * width, 4 * width, 2, circular));
    layer4 = register_module("layer4", makeLayer(4 * width, 8 * width, layer4Stride, circular));
  }

  static nn::Sequential makeLayer(int64_t in, int64_t out, int64_t stride, bool circular) {
    return nn::Sequential(BasicBlock(in, out, stride, circular), BasicBlock(out, out, 1, circular));
  }

  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(bn1(conv1(x)));
    if (circular) {
      x = torch::nn::functional::pad(
          x, torch::nn::functional::PadFuncOptions({1, 1, 1, 1}).mode(torch::kCircular));
      x = torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/0);
    } else {
      x = torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
    }
    return layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  bool circular;
};
TORCH_MODULE(ResNetTrunk);

// SSPL's predictive coding module (docs/training.md "Methods"), on our trunks: the visual map V
// (C x h x w) is predicted top-down to two coarser levels (3x3 conv + 2x2 max-pool each) and to
// the audio embedding (1x1 conv C->D + global average pool); for `cycles` steps the audio error
// (a_orig - a_pred) is sent back down (1x1 transposed conv, then a 3x3 stride-2 transposed conv,
// then bilinear x2 + 3x3 transposed conv) and each level is updated with
// r <- GELU(BN(r_pred + ReLU(a0) * error)), blended r <- GELU(BN((1 - ReLU(b0)) r + ReLU(b0)
// r_pred)) (learnable per-channel a0 = 1, b0 = 0.5; own batch norms per cycle). A 1x1 transposed
// conv on the finest level gives V'. The exact recurrence of the authors' pc_net.py is not
// reproduced.
struct PredictiveCodingImpl : nn::Module {
  PredictiveCodingImpl(int64_t channels, int64_t audioDim, int64_t cycles)
      : cycles(cycles),
        down1(nn::Conv2dOptions(channels, channels, 3).padding(1).bias(false)),
        down2(nn::Conv2dOptions(channels, channels, 3).padding(1).bias(false)),
        to_audio(nn::Conv2dOptions(channels, audioDim, 1)),
        up_audio(nn::ConvTranspose2dOptions(audioDim, channels, 1).bias(false)),
        up2(nn::ConvTranspose2dOptions(channels, channels, 3).stride(2).bias(false)),
        up1(nn::ConvTranspose2dOptions(channels, channels, 3).padding(1).bias(false)),
        out(nn::ConvTranspose2dOptions(channels, channels, 1)) {
    register_module("down1", down1);
    register_module("down2", down2);
    register_module("to_audio", to_audio);
    register_module("up_audio", up_audio);
    register_module("up2", up2);
    register_module("up1", up1);
    register_module("out", out);
    for (int level = 0; level < 3; ++level) {
      rates.push_back(
          register_parameter("a0_" + std::to_string(level), torch::ones({1, channels, 1, 1})));
      blends.push_back(
          register_parameter("b0_" + std::to_string(level), torch::full({1, channels, 1, 1}, 0.5)));
    }
    for (int64_t t = 0; t < cycles; ++t) {
      for (int level = 0; level < 3; ++level) {
        const std::string suffix = std::to_string(t) + "_" + std::to_string(level);
        norms.push_back(register_module("bn_" + suffix, nn::BatchNorm2d(channels)));
        blendNorms.push_back(register_module("bnb_" + suffix, nn::BatchNorm2d(channels)));
      }
    }
  }

  // visual: B x C x h x w (trunk map), audio: B x D (unit length). Returns V', B x C x h x w.
  torch::Tensor forward(const torch::Tensor& visual, const torch::Tensor& audio) {
    namespace F = torch::nn::functional;
    const auto step = [&](int64_t t, int level, const torch::Tensor& predicted,
                          const torch::Tensor& error) {
      const size_t i = static_cast<size_t>(t * 3 + level);
      const torch::Tensor updated = torch::gelu(
          norms[i]->forward(predicted + torch::relu(rates[static_cast<size_t>(level)]) * error));
      const torch::Tensor b = torch::relu(blends[static_cast<size_t>(level)]);
      return torch::gelu(blendNorms[i]->forward((1 - b) * updated + b * predicted));
    };
    torch::Tensor r0 = visual;
    torch::Tensor r1 = torch::max_pool2d(down1(r0), 2);
    torch::Tensor r2 = torch::max_pool2d(down2(r1), 2);
    for (int64_t t = 0; t < cycles; ++t) {
      const torch::Tensor p1 = torch::max_pool2d(down1(r0), 2);
      const torch::Tensor p2 = torch::max_pool2d(down2(r1), 2);
      const torch::Tensor predictedAudio = to_audio(r2).mean({2, 3});
      const torch::Tensor audioError = (audio - predictedAudio)
                                           .unsqueeze(-1)
                                           .unsqueeze(-1)
                                           .expand({-1, -1, p2.size(2), p2.size(3)});
      r2 = step(t, 2, p2, up_audio(audioError));
      torch::Tensor e1 = up2(r2 - p2);
      e1 = F::interpolate(e1, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{p1.size(2), p1.size(3)})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
      r1 = step(t, 1, p1, e1);
      torch::Tensor e0 =
          F::interpolate(r1 - p1, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{visual.size(2), visual.size(3)})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
      r0 = step(t, 0, visual, up1(e0));
    }
    return out(r0);
  }

  int64_t cycles;
  nn::Conv2d down1, down2, to_audio;
  nn::ConvTranspose2d up_audio, up2, up1, out;
  std::vector<torch::Tensor> rates, blends;
  std::vector<nn::BatchNorm2d> norms, blendNorms;
};
TORCH_MODULE(PredictiveCoding);

// SSPL's recurrent cycles after the first prediction pass.
constexpr int64_t kSsplCycles = 4;

inline bool isSsplVgg(const ModelConfig& config) {
  return config.network() == Architecture::SsplVgg;
}

// Whether the network has one img_proj / aud_proj head (not SLAVC's two, not AVENet's none, not
// the official SSPL's).
inline bool hasOneHead(const ModelConfig& config) {
  return config.network() != Architecture::Slavc && config.network() != Architecture::Avenet &&
         !isSsplVgg(config);
}

// EZ-VSL (stoneMo/EZ-VSL model.py names): imgnet, img_proj, audnet, aud_proj. SLAVC
// (stoneMo/SLAVC model.py) has two heads per modality instead, img_proj1/2 and aud_proj1/2; its
// momentum copies (momentum_*) are loaded into these same modules when the user asks for the
// momentum branch (LoadOptions::momentumBranch), so the network itself has one set. The LVS
// code's AVENet has no heads: the map is the cosine of the two trunks' features.
struct EzvslNetImpl : nn::Module {
  explicit EzvslNetImpl(const ModelConfig& config)
      : imgnet(isSsplVgg(config) ? nullptr
                                 : ResNetTrunk(3, config.baseWidth, config.layer4Stride,
                                               config.imagePadding == "circular")),
        img_proj(!hasOneHead(config)
                     ? nullptr
                     : nn::Conv2d(nn::Conv2dOptions(8 * config.baseWidth, config.embedDim, 1))),
        audnet(isSsplVgg(config) ? nullptr : ResNetTrunk(1, config.baseWidth, config.layer4Stride)),
        aud_proj(!hasOneHead(config) ? nullptr : nn::Linear(8 * config.baseWidth, config.embedDim)),
        sspl(config.network() == Architecture::HeardmapSspl),
        slavc(config.network() == Architecture::Slavc),
        avenet(config.network() == Architecture::Avenet) {
    if (isSsplVgg(config)) {  // the official SSPL: its own parts under its files' names
      ssplVgg = SsplVggNet(config);
      register_module("frame", ssplVgg->frame);
      register_module("sound", ssplVgg->sound);
      if (!ssplVgg->pcm.is_empty()) {
        register_module("pcm", ssplVgg->pcm);
      }
      return;
    }
    // Registration order is module order: initializeWeights draws in it, so it stays imgnet,
    // the image head(s), audnet, the audio head(s) (a seed gives the same weights as before).
    const int64_t c = 8 * config.baseWidth;
    register_module("imgnet", imgnet);
    if (slavc) {
      img_proj1 =
          register_module("img_proj1", nn::Conv2d(nn::Conv2dOptions(c, config.embedDim, 1)));
      img_proj2 =
          register_module("img_proj2", nn::Conv2d(nn::Conv2dOptions(c, config.embedDim, 1)));
    } else if (!avenet) {
      register_module("img_proj", img_proj);
    }
    register_module("audnet", audnet);
    if (slavc) {
      aud_proj1 = register_module("aud_proj1", nn::Linear(c, config.embedDim));
      aud_proj2 = register_module("aud_proj2", nn::Linear(c, config.embedDim));
    } else if (!avenet) {
      register_module("aud_proj", aud_proj);
    }
    if (sspl) {
      // SSPL: the PCM, the audio head a = fc(a_orig) and the SimSiam projector / predictor.
      const int64_t projection = 4 * c;  // 2048 for the full model (C = 512), as in the paper
      pcm = register_module("pcm", PredictiveCoding(c, config.embedDim, kSsplCycles));
      aud_fc = register_module(
          "aud_fc", nn::Sequential(nn::Linear(config.embedDim, c), nn::ReLU(), nn::Linear(c, c)));
      sspl_projector = register_module(
          "sspl_projector",
          nn::Sequential(nn::Linear(c, projection), nn::BatchNorm1d(projection), nn::ReLU(),
                         nn::Linear(projection, projection), nn::BatchNorm1d(projection),
                         nn::ReLU(), nn::Linear(projection, projection),
                         nn::BatchNorm1d(nn::BatchNormOptions(projection).affine(false))));
      sspl_predictor = register_module(
          "sspl_predictor",
          nn::Sequential(nn::Linear(projection, projection / 4), nn::BatchNorm1d(projection / 4),
                         nn::ReLU(), nn::Linear(projection / 4, projection)));
    }
  }

  // B x D x h x w, unit length over D (SLAVC: B x 2D x h x w, the two heads; SSPL: the trunk map B
  // x C x h x w, which the PCM refines with the audio before the map is taken).
  torch::Tensor encodeImage(const torch::Tensor& image) {
    if (!ssplVgg.is_empty()) {
      return ssplVgg->frame(image);
    }
    torch::Tensor features = imgnet(image);
    if (sspl) {
      return features;
    }
    if (avenet) {  // no head: the trunk's map, unit length over its channels
      return normalize(features);
    }
    if (slavc) {  // the two heads' maps, each unit length, stacked: B x 2D x h x w
      return torch::cat({normalize(img_proj1(features)), normalize(img_proj2(features))}, 1);
    }
    if (imageDropout > 0.0 && is_training()) {
      // FNAC: dropout on the backbone map before the projection, in training only.
      features = torch::dropout(features, imageDropout, /*train=*/true);
    }
    return normalize(img_proj(features));
  }

  // Unit length over dimension 1.
  static torch::Tensor normalize(const torch::Tensor& x) {
    return torch::nn::functional::normalize(x, nn::functional::NormalizeFuncOptions().dim(1));
  }

  // Probability of dropping backbone activations while training (FNAC uses 0.9; 0 = off).
  double imageDropout = 0.0;

  // B x D, unit length (SLAVC: B x 2D, the two heads; SSPL: [a_orig (D, unit length) | a =
  // fc(a_orig) (C)], B x (D + C)).
  // The official SSPL takes one clip's VGGish examples, E x 1 x 96 x 64, and gives [a_orig |
  // fc(a)] (SsplVggNet).
  torch::Tensor encodeAudio(const torch::Tensor& spectrogram) {
    if (!ssplVgg.is_empty()) {
      return ssplVgg->sound(spectrogram);
    }
    torch::Tensor a = audnet(spectrogram);
    a = torch::amax(a, {2, 3});
    if (avenet) {
      return normalize(a);
    }
    if (slavc) {  // B x 2D: the two heads' vectors, each unit length
      return torch::cat({normalize(aud_proj1(a)), normalize(aud_proj2(a))}, 1);
    }
    const torch::Tensor original = normalize(aud_proj(a));
    return sspl ? torch::cat({original, aud_fc->forward(original)}, 1) : original;
  }

  // The localisation map of visual features (encodeImage) and one audio vector each (encodeAudio)
  // for the same batch: B x h x w cosine similarities.
  torch::Tensor localizationMap(const torch::Tensor& visual, const torch::Tensor& audio) {
    if (!ssplVgg.is_empty()) {
      return ssplVgg->localizationMap(visual, audio);
    }
    if (slavc) {  // the mean of the two heads' cosine maps (SLAVC's S_AVL times tau)
      return (visual * audio.unsqueeze(-1).unsqueeze(-1)).sum(1) / 2;
    }
    if (!sspl) {
      return (visual * audio.unsqueeze(-1).unsqueeze(-1)).sum(1);
    }
    const int64_t d = aud_proj->options.out_features();
    const torch::Tensor refined = pcm->forward(visual, audio.narrow(1, 0, d));
    const torch::Tensor a = audio.narrow(1, d, audio.size(1) - d);
    return torch::cosine_similarity(refined, a.unsqueeze(-1).unsqueeze(-1), 1);
  }

  ResNetTrunk imgnet;
  nn::Conv2d img_proj;
  ResNetTrunk audnet;
  nn::Linear aud_proj;
  bool sspl;
  bool slavc;
  bool avenet;
  nn::Conv2d img_proj1{nullptr}, img_proj2{nullptr};
  nn::Linear aud_proj1{nullptr}, aud_proj2{nullptr};
  PredictiveCoding pcm{nullptr};
  nn::Sequential aud_fc{nullptr};
  nn::Sequential sspl_projector{nullptr};
  nn::Sequential sspl_predictor{nullptr};
  SsplVggNet ssplVgg{nullptr};  // the official SSPL (then no trunk above is built)
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
// Frames (any size) -> N x 3 x S x S, resized (bicubic, antialiased; with centreCrop the shorter
// side, then the centred square) and normalised per contract.
torch::Tensor imageTensor(const std::vector<const RgbImage*>& frames,
                          const PreprocessingContract& contract, bool centreCrop = false);
// Audio windows -> N x 1 x F x T log spectrograms per contract.
torch::Tensor spectrogramTensor(const std::vector<const std::vector<float>*>& windows,
                                const PreprocessingContract& contract);

}  // namespace heardmap
