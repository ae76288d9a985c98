#include "OfficialRule.h"

#include <algorithm>
#include <cmath>

#include "Localization.h"

namespace heardmap {
namespace {

// torch's cubic convolution parameter for bicubic upsampling.
constexpr float kTorchCubicA = -0.75f;
// SLAVC's --pred_thr default, on the fixed-range map.
constexpr float kSlavcThreshold = 0.5f;
// SSPL's fixed threshold on the min-max map.
constexpr float kSsplThreshold = 0.5f;

float cubicNear(float x) {  // |x| <= 1
  return ((kTorchCubicA + 2) * x - (kTorchCubicA + 3)) * x * x + 1;
}
float cubicFar(float x) {  // 1 < |x| < 2
  return ((kTorchCubicA * x - 5 * kTorchCubicA) * x + 8 * kTorchCubicA) * x - 4 * kTorchCubicA;
}

// The four weights of samples at t-1, t, t+1, t+2 for a fraction t in [0, 1).
void cubicWeights(float t, float w[4]) {
  w[0] = cubicFar(t + 1);
  w[1] = cubicNear(t);
  w[2] = cubicNear(1 - t);
  w[3] = cubicFar(2 - t);
}

}  // namespace

std::string officialRuleName(OfficialRule rule) {
  switch (rule) {
    case OfficialRule::Ezvsl:
      return "ezvsl";
    case OfficialRule::Slavc:
      return "slavc";
    case OfficialRule::Lvs:
      return "lvs";
    case OfficialRule::Sspl:
      return "sspl";
    case OfficialRule::Invalid:
      break;
  }
  return "invalid";
}

OfficialRule officialRuleFromName(const std::string& name) {
  if (name == "ezvsl") {
    return OfficialRule::Ezvsl;
  }
  if (name == "slavc") {
    return OfficialRule::Slavc;
  }
  if (name == "lvs") {
    return OfficialRule::Lvs;
  }
  if (name == "sspl") {
    return OfficialRule::Sspl;
  }
  return OfficialRule::Invalid;
}

std::vector<float> upsampleBicubicAlignCorners(const std::vector<float>& map, int width, int height,
                                               int outWidth, int outHeight) {
  std::vector<float> out(static_cast<size_t>(outWidth) * static_cast<size_t>(outHeight));
  const float sx =
      outWidth > 1 ? static_cast<float>(width - 1) / static_cast<float>(outWidth - 1) : 0.0f;
  const float sy =
      outHeight > 1 ? static_cast<float>(height - 1) / static_cast<float>(outHeight - 1) : 0.0f;
  const auto at = [&](int x, int y) {
    x = std::clamp(x, 0, width - 1);
    y = std::clamp(y, 0, height - 1);
    return map[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)];
  };
  for (int oy = 0; oy < outHeight; ++oy) {
    const float ry = sy * static_cast<float>(oy);
    const int iy = static_cast<int>(std::floor(ry));
    float wy[4];
    cubicWeights(ry - static_cast<float>(iy), wy);
    for (int ox = 0; ox < outWidth; ++ox) {
      const float rx = sx * static_cast<float>(ox);
      const int ix = static_cast<int>(std::floor(rx));
      float wx[4];
      cubicWeights(rx - static_cast<float>(ix), wx);
      float value = 0.0f;
      for (int j = 0; j < 4; ++j) {
        float row = 0.0f;
        for (int i = 0; i < 4; ++i) {
          row += at(ix - 1 + i, iy - 1 + j) * wx[i];
        }
        value += row * wy[j];
      }
      out[static_cast<size_t>(oy) * static_cast<size_t>(outWidth) + static_cast<size_t>(ox)] =
          value;
    }
  }
  return out;
}

namespace {

// OpenCV's source index and weight of the next sample for destination index d (linear).
void cv2LinearTap(int d, double scale, int size, int* index, float* weight) {
  float f = static_cast<float>((d + 0.5) * scale - 0.5);
  int i = static_cast<int>(std::floor(f));
  f -= static_cast<float>(i);
  if (i < 0) {
    i = 0;
    f = 0.0f;
  }
  if (i >= size - 1) {
    i = size - 1;
    f = 0.0f;
  }
  *index = i;
  *weight = f;
}

}  // namespace

std::vector<float> resizeBilinearLikeCv2(const std::vector<float>& map, int width, int height,
                                         int outWidth, int outHeight) {
  std::vector<float> rows(static_cast<size_t>(height) * static_cast<size_t>(outWidth));
  const double scaleX = static_cast<double>(width) / outWidth;
  for (int x = 0; x < outWidth; ++x) {
    int i = 0;
    float f = 0.0f;
    cv2LinearTap(x, scaleX, width, &i, &f);
    const int next = std::min(i + 1, width - 1);
    for (int y = 0; y < height; ++y) {
      const float* row = map.data() + static_cast<size_t>(y) * static_cast<size_t>(width);
      rows[static_cast<size_t>(y) * static_cast<size_t>(outWidth) + static_cast<size_t>(x)] =
          row[i] * (1.0f - f) + row[next] * f;
    }
  }
  std::vector<float> out(static_cast<size_t>(outWidth) * static_cast<size_t>(outHeight));
  const double scaleY = static_cast<double>(height) / outHeight;
  for (int y = 0; y < outHeight; ++y) {
    int j = 0;
    float f = 0.0f;
    cv2LinearTap(y, scaleY, height, &j, &f);
    const int next = std::min(j + 1, height - 1);
    for (int x = 0; x < outWidth; ++x) {
      out[static_cast<size_t>(y) * static_cast<size_t>(outWidth) + static_cast<size_t>(x)] =
          rows[static_cast<size_t>(j) * static_cast<size_t>(outWidth) + static_cast<size_t>(x)] *
              (1.0f - f) +
          rows[static_cast<size_t>(next) * static_cast<size_t>(outWidth) + static_cast<size_t>(x)] *
              f;
    }
  }
  return out;
}

std::vector<uint8_t> officialPrediction(const std::vector<float>& cosine, int width, int height,
                                        OfficialRule rule, double temperature, int outSide) {
  if (rule == OfficialRule::Slavc) {
    const float inverseTau = static_cast<float>(1.0 / temperature);
    std::vector<float> savl(cosine.size());
    for (size_t i = 0; i < cosine.size(); ++i) {
      savl[i] = cosine[i] * inverseTau;
    }
    const std::vector<float> up =
        upsampleBicubicAlignCorners(savl, width, height, outSide, outSide);
    // In float as numpy does it with float32 maps: (x - (-1/tau)) / (1/tau - (-1/tau)).
    const float range = static_cast<float>(2.0 / temperature);
    std::vector<uint8_t> prediction(up.size());
    for (size_t i = 0; i < up.size(); ++i) {
      const float score = (up[i] + inverseTau) / range;  // the fixed range, no min-max
      prediction[i] = score >= kSlavcThreshold ? 1 : 0;
    }
    return prediction;
  }
  if (rule == OfficialRule::Lvs || rule == OfficialRule::Sspl) {
    const std::vector<float> up = resizeBilinearLikeCv2(cosine, width, height, outSide, outSide);
    const auto [lowest, highest] = std::minmax_element(up.begin(), up.end());
    const float low = *lowest;
    const float high = *highest;
    std::vector<uint8_t> prediction(up.size());
    if (rule == OfficialRule::Sspl) {
      // normalize_img: (x - min) / ptp in float32 (a flat map gives NaN: nothing predicted).
      for (size_t i = 0; i < up.size(); ++i) {
        prediction[i] = (up[i] - low) / (high - low) >= kSsplThreshold ? 1 : 0;
      }
      return prediction;
    }
    // LVS: pred = 1 - normalize_img(-map) (left as is when flat); pixels above the value at
    // index n/2 of the sorted map become 1, the rest below 1 become 0, then >= 0.5.
    std::vector<float> pred(up.size());
    for (size_t i = 0; i < up.size(); ++i) {
      pred[i] = high == low ? 1.0f + up[i] : 1.0f - (-up[i] - (-high)) / (-low - (-high));
    }
    std::vector<float> sorted = pred;
    std::nth_element(sorted.begin(),
                     sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const float threshold = sorted[sorted.size() / 2];
    for (size_t i = 0; i < pred.size(); ++i) {
      prediction[i] = pred[i] > threshold || pred[i] >= 1.0f ? 1 : 0;
    }
    return prediction;
  }
  std::vector<float> up = upsampleAlignCorners(cosine, width, height, outSide, outSide);
  minMaxNormalize(up);
  return binarize(up, PredictionRule::RelativeMedian, {});
}

}  // namespace heardmap
