// Architecture of an EZ-VSL-family model: two ResNet-18 trunks (visual 3-channel, audio 1-channel)
// with torchvision's module names, projection heads and a cosine localisation map.
#pragma once

#include <string>

#include "core/Json.h"
#include "core/Methods.h"

namespace heardmap {

struct ModelConfig {
  std::string method = "ezvsl";
  // The network (core/Methods.h) when the method has several (LVS: Heardmap's recipe or the
  // authors' AVENet); read it with network().
  Architecture architecture = Architecture::EzvslFamily;
  // architecture where the method accepts it, else the method's first network: code that sets
  // only the method gets that method's network.
  Architecture network() const;
  // The network heardmap-train builds for method (EZ-VSL family for an unknown name).
  static Architecture defaultArchitecture(const std::string& method);
  int baseWidth = 64;         // ResNet-18 stage widths are base * {1, 2, 4, 8}
  int embedDim = 512;         // projection dimension D
  double temperature = 0.03;  // tau in S = <v, a> / tau (training and SLAVC-style scores)
  int layer4Stride = 2;       // 1 = LVS's dilated-resolution trunks (14 x 14 maps at 224)
  // Padding of the visual trunk's convolutions and max-pool: "zeros" (torchvision, every
  // published checkpoint) or "circular" (wraps around the picture, so no map location can tell
  // where the picture's border is: a from-scratch trunk cannot place its match at a fixed spot).
  std::string imagePadding = "zeros";
  // The official SSPL network (Architecture::SsplVgg), sized from its files' shapes: baseWidth is
  // VGG-16's first width (64; conv5_3 has 8x), embedDim VGGish's embedding (128, the PCM's audio
  // input), and these the rest (the published sizes as defaults).
  int soundWidth = 64;         // VGGish's first conv width (its last has 8x)
  int embeddingHidden = 4096;  // VGGish's two hidden embedding layers
  int soundFcHidden = 512;     // SSPL's audio head: embedDim -> soundFcHidden -> audioOutDim
  int audioOutDim = 512;       // the audio vector the map is the cosine with
  int pcmCycles = 4;           // the PCM's recurrent cycles after its first pass; 0 = no PCM
  // Whether name is an imagePadding value ("zeros" or "circular").
  static bool isImagePadding(const std::string& name) {
    return name == "zeros" || name == "circular";
  }

  // The papers' model: ResNet-18 at 224, D = 512 (~23 M parameters, ~3.7 GFLOPs per clip).
  static ModelConfig full();
  // Real-time CPU variant: half-width trunks (32..256), D = 128, 160 px images (~5.8 M parameters).
  static ModelConfig compact();
  // The shipped models' variant: 3/8-width trunks (24..192), D = 128, 160 px (~3.3 M parameters,
  // 6.5 MB in fp16), so that a model of every method fits the repository's 40 MB budget.
  static ModelConfig small();
  // "full", "compact" or "small"; throws std::invalid_argument otherwise.
  static ModelConfig named(const std::string& variant);
  // Image side the variant is trained at (224 full, 160 compact).
  int defaultImageSize() const { return baseWidth < 64 ? 160 : 224; }
  // "full", "compact", "small" or "custom".
  std::string variantName() const;

  Json toJson() const;
  static ModelConfig fromJson(const Json& json);
};

}  // namespace heardmap
