#include "PilResize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace heardmap {
namespace {

// Fixed-point bits of Pillow's 8-bit resampling weights (32 - 8 - 2).
constexpr int kPrecisionBits = 22;
// Half-width of the bicubic kernel at scale 1, in source pixels.
constexpr double kBicubicSupport = 2.0;
// The kernel's free parameter (Keys' a; Pillow and PIL use -0.5).
constexpr double kBicubicA = -0.5;

double bicubic(double x) {
  x = std::abs(x);
  if (x < 1.0) {
    return ((kBicubicA + 2.0) * x - (kBicubicA + 3.0)) * x * x + 1.0;
  }
  if (x < 2.0) {
    return (((x - 5.0) * x + 8.0) * x - 4.0) * kBicubicA;
  }
  return 0.0;
}

// For each output position: the first source index, the tap count and ksize fixed-point weights.
struct Coefficients {
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int32_t> weights;
};

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for the box [0, inSize).
Coefficients coefficients(int inSize, int outSize) {
  const double scale = static_cast<double>(inSize) / outSize;
  const double filterScale = std::max(scale, 1.0);
  const double support = kBicubicSupport * filterScale;
  Coefficients c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(static_cast<size_t>(outSize));
  c.count.resize(static_cast<size_t>(outSize));
  c.weights.assign(static_cast<size_t>(outSize) * static_cast<size_t>(c.ksize), 0);
  std::vector<double> k(static_cast<size_t>(c.ksize));
  for (int xx = 0; xx < outSize; ++xx) {
    const double center = (xx + 0.5) * scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), inSize) - xmin;
    double sum = 0.0;
    for (int x = 0; x < xmax; ++x) {
      k[static_cast<size_t>(x)] = bicubic((x + xmin - center + 0.5) / filterScale);
      sum += k[static_cast<size_t>(x)];
    }
    for (int x = 0; x < xmax; ++x) {
      double w = k[static_cast<size_t>(x)];
      if (sum != 0.0) {
        w /= sum;
      }
      const double fixed = w * (1 << kPrecisionBits);
      c.weights[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize) + static_cast<size_t>(x)] =
          static_cast<int32_t>(w < 0 ? -0.5 + fixed : 0.5 + fixed);
    }
    c.first[static_cast<size_t>(xx)] = xmin;
    c.count[static_cast<size_t>(xx)] = xmax;
  }
  return c;
}

uint8_t clip8(int64_t sum) {
  return static_cast<uint8_t>(std::clamp<int64_t>(sum >> kPrecisionBits, 0, 255));
}

// Resamples rows [rowFirst, rowFirst + rows) of in to width columns.
RgbImage horizontal(const RgbImage& in, int width, int rowFirst, int rows) {
  const Coefficients c = coefficients(in.width, width);
  RgbImage out;
  out.width = width;
  out.height = rows;
  out.pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(rows) * 3);
  for (int y = 0; y < rows; ++y) {
    const uint8_t* row = in.pixel(0, rowFirst + y);
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(width) * 3;
    for (int xx = 0; xx < width; ++xx) {
      const int32_t* k = &c.weights[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize)];
      const int first = c.first[static_cast<size_t>(xx)];
      for (int ch = 0; ch < 3; ++ch) {
        int64_t sum = int64_t{1} << (kPrecisionBits - 1);
        for (int x = 0; x < c.count[static_cast<size_t>(xx)]; ++x) {
          sum += int64_t{row[static_cast<size_t>(first + x) * 3 + static_cast<size_t>(ch)]} * k[x];
        }
        dst[static_cast<size_t>(xx) * 3 + static_cast<size_t>(ch)] = clip8(sum);
      }
    }
  }
  return out;
}

// Resamples in (whose row 0 is source row rowOffset) to height rows with coefficients c.
RgbImage vertical(const RgbImage& in, const Coefficients& c, int height, int rowOffset) {
  RgbImage out;
  out.width = in.width;
  out.height = height;
  out.pixels.resize(static_cast<size_t>(in.width) * static_cast<size_t>(height) * 3);
  const size_t stride = static_cast<size_t>(in.width) * 3;
  for (int yy = 0; yy < height; ++yy) {
    const int32_t* k = &c.weights[static_cast<size_t>(yy) * static_cast<size_t>(c.ksize)];
    const int first = c.first[static_cast<size_t>(yy)] - rowOffset;
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(yy) * stride;
    for (size_t i = 0; i < stride; ++i) {
      int64_t sum = int64_t{1} << (kPrecisionBits - 1);
      for (int y = 0; y < c.count[static_cast<size_t>(yy)]; ++y) {
        sum += int64_t{in.pixels[static_cast<size_t>(first + y) * stride + i]} * k[y];
      }
      dst[i] = clip8(sum);
    }
  }
  return out;
}

}  // namespace

RgbImage resizeBicubicLikePil(const RgbImage& in, int width, int height) {
  if (width < 1 || height < 1 || in.empty() ||
      in.pixels.size() != static_cast<size_t>(in.width) * static_cast<size_t>(in.height) * 3) {
    throw std::invalid_argument("resizeBicubicLikePil: a " + std::to_string(in.width) + "x" +
                                std::to_string(in.height) + " picture to " + std::to_string(width) +
                                "x" + std::to_string(height));
  }
  RgbImage out;
  if (width == in.width && height == in.height) {
    out = in;
  } else if (height == in.height) {
    out = horizontal(in, width, 0, in.height);
  } else {
    // As Pillow: the vertical taps say which source rows the horizontal pass must produce.
    const Coefficients c = coefficients(in.height, height);
    const int rowFirst = c.first.front();
    const int rowLast = c.first.back() + c.count.back();
    if (width == in.width) {
      out = vertical(in, c, height, 0);
    } else {
      out = vertical(horizontal(in, width, rowFirst, rowLast - rowFirst), c, height, rowFirst);
    }
  }
  out.timeSeconds = in.timeSeconds;
  return out;
}

void shorterSideTo(int side, int width, int height, int* outWidth, int* outHeight) {
  const int shorter = std::min(width, height);
  const int longer = std::max(width, height);
  const int newLonger =
      static_cast<int>(static_cast<double>(side) * static_cast<double>(longer) / shorter);
  *outWidth = width <= height ? side : newLonger;
  *outHeight = width <= height ? newLonger : side;
}

}  // namespace heardmap

namespace heardmap {

RgbImage resizeAndCentreCropLikeTorchvision(const RgbImage& in, int side) {
  int width = in.width;
  int height = in.height;
  RgbImage resized;
  const RgbImage* source = &in;
  if (std::min(width, height) != side) {  // torchvision leaves a picture of that side alone
    shorterSideTo(side, in.width, in.height, &width, &height);
    resized = resizeBicubicLikePil(in, width, height);
    source = &resized;
  }
  // Python's round() rounds halves to even, as nearbyint in the default rounding mode does.
  const int left = static_cast<int>(std::nearbyint((width - side) / 2.0));
  const int top = static_cast<int>(std::nearbyint((height - side) / 2.0));
  RgbImage out;
  out.width = side;
  out.height = side;
  out.timeSeconds = in.timeSeconds;
  out.pixels.resize(static_cast<size_t>(side) * static_cast<size_t>(side) * 3);
  for (int y = 0; y < side; ++y) {
    const uint8_t* row = source->pixel(left, top + y);
    std::copy(row, row + static_cast<size_t>(side) * 3,
              out.pixels.begin() + static_cast<std::ptrdiff_t>(y) * side * 3);
  }
  return out;
}

}  // namespace heardmap
