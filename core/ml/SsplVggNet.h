// Internal torch header of heardmap_ml: the official SSPL network (zjsong/SSPL, sspl_w_pcm and
// sspl_wo_pcm), with the module names of its four files: frame_best.pth (VGG-16's features up to
// conv5_3, "feat_extractor.N"), sound_best.pth (VGGish "features.N" / "embeddings.N" and the audio
// head "fc.N"), pcm_best.pth (the predictive coding module, PCNet's names). Loaded under the
// prefixes frame., sound. and pcm. (core/ml/SsplFiles.h). Written from the paper, the names and
// shapes of the files; no official code is copied.
#pragma once

#include <torch/torch.h>

#include "ModelConfig.h"

namespace heardmap {
namespace nn = torch::nn;

// torchvision VGG-16 features[0:29] at first width w: 3x3 convolutions of w, w, M, 2w, 2w, M, 4w x
// 3, M, 8w x 3, M, 8w x 3 channels (M = 2x2 max-pool), ReLU after each but the last (conv5_3):
// 8w x 14 x 14 at 224. Sequential indices as torchvision's (conv5_3 is feat_extractor.28).
struct Vgg16FramesImpl : nn::Module {
  explicit Vgg16FramesImpl(int64_t width) {
    const int64_t m = -1;  // a max-pool
    const std::vector<int64_t> plan = {width,     width,     m,         2 * width, 2 * width,
                                       m,         4 * width, 4 * width, 4 * width, m,
                                       8 * width, 8 * width, 8 * width, m,         8 * width,
                                       8 * width, 8 * width};
    int64_t in = 3;
    for (size_t i = 0; i < plan.size(); ++i) {
      if (plan[i] == m) {
        feat_extractor->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
        continue;
      }
      feat_extractor->push_back(nn::Conv2d(nn::Conv2dOptions(in, plan[i], 3).padding(1)));
      if (i + 1 < plan.size()) {
        feat_extractor->push_back(nn::ReLU());
      }
      in = plan[i];
    }
    register_module("feat_extractor", feat_extractor);
  }
  torch::Tensor forward(const torch::Tensor& x) { return feat_extractor->forward(x); }

  nn::Sequential feat_extractor;
};
TORCH_MODULE(Vgg16Frames);

// VGGish (the torchvggish port SSPL loads) with SSPL's audio head. features: 3x3 convolutions of
// w, M, 2w, M, 4w, 4w, M, 8w, 8w, M each with ReLU (8w x 6 x 4 for a 96 x 64 example); the map is
// flattened in (height, width, channel) order, TensorFlow's; embeddings: three linear layers, each
// with ReLU, to the embedding; fc: embedding -> hidden -> out with a ReLU between.
struct VggishSoundImpl : nn::Module {
  explicit VggishSoundImpl(const ModelConfig& c) {
    const int64_t w = c.soundWidth;
    const int64_t m = -1;
    int64_t in = 1;
    for (const int64_t v : {w, m, 2 * w, m, 4 * w, 4 * w, m, 8 * w, 8 * w, m}) {
      if (v == m) {
        features->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
      } else {
        features->push_back(nn::Conv2d(nn::Conv2dOptions(in, v, 3).padding(1)));
        features->push_back(nn::ReLU());
        in = v;
      }
    }
    const int64_t flat = 8 * w * 6 * 4;  // 8w x 6 x 4 after four halvings of 96 x 64
    embeddings = nn::Sequential(nn::Linear(flat, c.embeddingHidden), nn::ReLU(),
                                nn::Linear(c.embeddingHidden, c.embeddingHidden), nn::ReLU(),
                                nn::Linear(c.embeddingHidden, c.embedDim), nn::ReLU());
    fc = nn::Sequential(nn::Linear(c.embedDim, c.soundFcHidden), nn::ReLU(),
                        nn::Linear(c.soundFcHidden, c.audioOutDim));
    register_module("features", features);
    register_module("embeddings", embeddings);
    register_module("fc", fc);
  }

  // examples: E x 1 x 96 x 64 of one clip. Returns 1 x (embedDim + audioOutDim): the mean
  // embedding made unit length (what the PCM predicts), then the mean of the head's outputs.
  torch::Tensor forward(const torch::Tensor& examples) {
    torch::Tensor x = features->forward(examples);
    x = x.permute({0, 2, 3, 1}).contiguous().view({x.size(0), -1});
    const torch::Tensor embedding = embeddings->forward(x);
    const torch::Tensor original = torch::nn::functional::normalize(
        embedding.mean(0, /*keepdim=*/true), nn::functional::NormalizeFuncOptions().dim(1));
    return torch::cat({original, fc->forward(embedding).mean(0, /*keepdim=*/true)}, 1);
  }

  nn::Sequential features, embeddings{nullptr}, fc{nullptr};
};
TORCH_MODULE(VggishSound);

// SSPL's predictive coding module (pc_net.py's PCNet) on a C x 14 x 14 map and the unit-length
// audio embedding (D). Levels: the 14 x 14 map, 7 x 7, 3 x 3, and the audio vector. Top-down
// (PredProcess): 3x3 conv + 2x2 max-pool twice, then a 1x1 conv to D and a global mean. Bottom-up
// (ErrorProcess): the audio error through a 1x1 transposed conv, the 3 x 3 level's through a 3x3
// stride-2 transposed conv, the 7 x 7 level's upsampled x2 (bilinear, align_corners) and through a
// 3x3 transposed conv; a 1x1 transposed conv with bias gives V'. One initial pass, then `cycles`
// cycles, each level r <- GELU(BN(r + ReLU(a0) error)) and r <- GELU(BN((1 - ReLU(b0)) r +
// ReLU(b0) prediction)), with batch norms of their own per cycle.
struct SsplPcmImpl : nn::Module {
  SsplPcmImpl(int64_t channels, int64_t audioDim, int64_t outDim, int64_t cycles) : cycles(cycles) {
    const auto conv = [](int64_t in, int64_t out, int64_t k, bool bias) {
      return nn::Conv2d(nn::Conv2dOptions(in, out, k).padding(k / 2).bias(bias));
    };
    const auto transposed = [](int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad,
                               bool bias) {
      return nn::ConvTranspose2d(
          nn::ConvTranspose2dOptions(in, out, k).stride(stride).padding(pad).bias(bias));
    };
    toAudio = conv(channels, audioDim, 1, true);
    PredProcess->push_back(toAudio);
    for (int i = 0; i < 2; ++i) {  // pc_net.py's pred_module: its convolution is "conv2d"
      predict.push_back(conv(channels, channels, 3, false));
      auto level = std::make_shared<nn::Module>();
      level->register_module("conv2d", predict.back());
      PredProcess->push_back(level);
    }
    fromAudio = transposed(audioDim, channels, 1, 1, 0, false);
    fromCoarsest = transposed(channels, channels, 3, 2, 0, false);
    fromMiddle = transposed(channels, channels, 3, 1, 1, false);
    output = transposed(channels, outDim, 1, 1, 0, true);
    ErrorProcess->push_back(fromAudio);
    ErrorProcess->push_back(fromCoarsest);
    auto upper = std::make_shared<nn::Module>();  // error_module: its convolution "convtrans2d"
    upper->register_module("convtrans2d", fromMiddle);
    ErrorProcess->push_back(upper);
    ErrorProcess->push_back(output);
    for (int i = 0; i < 3; ++i) {
      b0->append(torch::full({1, channels, 1, 1}, 0.5));
      a0->append(torch::ones({1, channels, 1, 1}));
    }
    const auto norms = [&](int64_t count) {
      nn::ModuleList list;
      for (int64_t i = 0; i < count; ++i) {
        list->push_back(nn::BatchNorm2d(channels));
      }
      return list;
    };
    BNPred = norms(2);
    BNError = norms(3);
    BNPred_step = norms(2 * cycles);
    BNError_step = norms(3 * cycles);
    register_module("PredProcess", PredProcess);
    register_module("ErrorProcess", ErrorProcess);
    register_module("b0", b0);
    register_module("a0", a0);
    register_module("BNPred", BNPred);
    register_module("BNError", BNError);
    register_module("BNPred_step", BNPred_step);
    register_module("BNError_step", BNError_step);
  }

  // visual: B x C x h x w, audio: B x D (unit length). Returns V': B x outDim x h x w.
  torch::Tensor forward(const torch::Tensor& visual, const torch::Tensor& audio) {
    namespace F = torch::nn::functional;
    const auto rate = [](const torch::Tensor& p) { return torch::relu(p); };
    const auto bn = [](nn::ModuleList& list, int64_t i) {
      return list->ptr<nn::BatchNorm2dImpl>(static_cast<size_t>(i));
    };
    // Level 0 is 3 x 3, level 1 7 x 7, level 2 the visual map; predicted[l], updated[l].
    const auto down = [&](int level, const torch::Tensor& x) {  // level + 1 -> level
      return torch::max_pool2d(predict[static_cast<size_t>(level)](x), 2, 2);
    };
    const auto up = [&](int level, const torch::Tensor& error) {  // error of level - 1 -> level
      if (level == 1) {
        return fromCoarsest(error);
      }
      return fromMiddle(F::interpolate(error, F::InterpolateFuncOptions()
                                                  .scale_factor(std::vector<double>{2.0, 2.0})
                                                  .mode(torch::kBilinear)
                                                  .align_corners(true)));
    };
    const auto audioError = [&](const torch::Tensor& coarsest) {
      const torch::Tensor predictedAudio = torch::gelu(toAudio(coarsest)).mean({2, 3});
      return fromAudio((audio - predictedAudio)
                           .unsqueeze(-1)
                           .unsqueeze(-1)
                           .expand({-1, -1, coarsest.size(2), coarsest.size(3)}));
    };
    std::vector<torch::Tensor> predicted(3), updated(3);
    predicted[2] = visual;
    predicted[1] = torch::gelu(bn(BNPred, 1)->forward(down(1, predicted[2])));
    predicted[0] = torch::gelu(bn(BNPred, 0)->forward(down(0, predicted[1])));
    updated[0] =
        torch::gelu(bn(BNError, 0)->forward(predicted[0] + rate(a0[0]) * audioError(predicted[0])));
    for (int l = 1; l < 3; ++l) {
      updated[l] = torch::gelu(
          bn(BNError, l)
              ->forward(predicted[l] + rate(a0[l]) * up(l, updated[l - 1] - predicted[l - 1])));
    }
    for (int64_t t = 0; t < cycles; ++t) {
      torch::Tensor blend = rate(b0[2]);
      updated[2] = torch::gelu((1 - blend) * updated[2] + blend * predicted[2]);
      for (int l = 1; l >= 0; --l) {
        predicted[l] = down(l, updated[l + 1]);
        blend = rate(b0[l]);
        updated[l] = torch::gelu(
            bn(BNPred_step, 2 * t + l)->forward((1 - blend) * updated[l] + blend * predicted[l]));
      }
      updated[0] = torch::gelu(
          bn(BNError_step, 3 * t)->forward(updated[0] + rate(a0[0]) * audioError(updated[0])));
      for (int l = 1; l < 3; ++l) {
        updated[l] = torch::gelu(
            bn(BNError_step, 3 * t + l)
                ->forward(updated[l] + rate(a0[l]) * up(l, updated[l - 1] - predicted[l - 1])));
      }
    }
    return output(updated[2]);
  }

  int64_t cycles;
  nn::Conv2d toAudio{nullptr};
  std::vector<nn::Conv2d> predict;  // 7 x 7 <- 14 x 14 (index 1) and 3 x 3 <- 7 x 7 (index 0)
  nn::ConvTranspose2d fromAudio{nullptr}, fromCoarsest{nullptr}, fromMiddle{nullptr},
      output{nullptr};
  nn::ModuleList PredProcess, ErrorProcess;
  nn::ParameterList b0, a0;
  nn::ModuleList BNPred{nullptr}, BNError{nullptr}, BNPred_step{nullptr}, BNError_step{nullptr};
};
TORCH_MODULE(SsplPcm);

// The three parts; the map is the cosine of V' (or, without PCM, the VGG-16 map) with the audio
// head's vector.
struct SsplVggNetImpl : nn::Module {
  explicit SsplVggNetImpl(const ModelConfig& c) : frame(c.baseWidth), sound(c) {
    register_module("frame", frame);
    register_module("sound", sound);
    if (c.pcmCycles > 0) {
      pcm =
          register_module("pcm", SsplPcm(8 * c.baseWidth, c.embedDim, c.audioOutDim, c.pcmCycles));
    }
    embedDim = c.embedDim;
  }

  // B x D' x h x w cosine map of the VGG-16 map (encodeImage) and the sound vector (encodeAudio).
  torch::Tensor localizationMap(const torch::Tensor& visual, const torch::Tensor& audio) {
    const torch::Tensor original = audio.narrow(1, 0, embedDim);
    const torch::Tensor head = audio.narrow(1, embedDim, audio.size(1) - embedDim);
    const torch::Tensor refined = pcm.is_empty() ? visual : pcm->forward(visual, original);
    const auto unit = [](const torch::Tensor& x) {
      return torch::nn::functional::normalize(x, nn::functional::NormalizeFuncOptions().dim(1));
    };
    return (unit(refined) * unit(head).unsqueeze(-1).unsqueeze(-1)).sum(1);
  }

  Vgg16Frames frame;
  VggishSound sound;
  SsplPcm pcm{nullptr};
  int64_t embedDim;
};
TORCH_MODULE(SsplVggNet);

}  // namespace heardmap
