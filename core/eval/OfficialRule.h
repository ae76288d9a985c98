// How a method's own test script turns a raw map into the binary prediction its cIoU is taken of,
// so that heardmap eval reports each model by its authors' rule (core/Methods.h names each
// method's), and by EZ-VSL's where the authors' own is not implemented.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

enum class OfficialRule {
  Invalid = 0,
  // EZ-VSL / FNAC test.py: S_AVL upsampled bilinearly (align_corners) to 224, min-max
  // normalised, >= its median (the "relative" rule).
  Ezvsl,
  // SLAVC test.py: S_AVL upsampled bicubically (align_corners), scaled by the fixed range
  // [-1/tau, 1/tau], >= 0.5 (its default --pred_thr, without --relative_prediction).
  Slavc,
  // LVS test.py: the map resized as cv2.resize(INTER_LINEAR) to 224, min-max normalised, the
  // pixels strictly above its median (the value at index n/2 of the sorted map).
  Lvs,
  // SSPL test.py: the map resized as cv2.resize(INTER_LINEAR) to 224, min-max normalised, >= 0.5.
  Sspl,
};

// "ezvsl", "slavc", "lvs" or "sspl"; fromName gives Invalid for another name.
std::string officialRuleName(OfficialRule rule);
OfficialRule officialRuleFromName(const std::string& name);

// torch's interpolate(mode=bicubic, align_corners=True) of a row-major width x height map
// (cubic convolution with A = -0.75, edge samples repeated).
std::vector<float> upsampleBicubicAlignCorners(const std::vector<float>& map, int width, int height,
                                               int outWidth, int outHeight);

// cv2.resize(INTER_LINEAR) of a float map as OpenCV computes it: half-pixel centres, the source
// index clamped at the edges, a horizontal then a vertical pass in float.
std::vector<float> resizeBilinearLikeCv2(const std::vector<float>& map, int width, int height,
                                         int outWidth, int outHeight);

// The outSide x outSide prediction (1 = predicted) of a raw cosine map (cosine = S_AVL * tau) by
// rule, for a model of softmax temperature tau.
std::vector<uint8_t> officialPrediction(const std::vector<float>& cosine, int width, int height,
                                        OfficialRule rule, double temperature, int outSide);

}  // namespace heardmap
