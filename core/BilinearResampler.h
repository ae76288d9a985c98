// Bilinear resampling of a row-major map to another size, written as two weight matrices:
// out = Wy * map * Wx^T, where each row of Wy (outHeight x height) and Wx (outWidth x width) holds
// one output row's (column's) two neighbour weights (Eigen inside). The metrics upsample
// localization maps the way torch's interpolate(align_corners=True) does; the CPU compositor
// samples at pixel centres as the overlay shader does.
#pragma once

#include <memory>
#include <vector>

namespace heardmap {

enum class SampleGrid {
  AlignCorners,  // output x samples x * (w - 1) / (W - 1): torch's align_corners=True
  PixelCentres,  // output x samples u * (w - 1), u = (x + 0.5) / W: the overlay shader
};

class BilinearResampler {
 public:
  // Sizes >= 1; throws std::invalid_argument otherwise.
  BilinearResampler(int width, int height, int outWidth, int outHeight, SampleGrid grid);
  ~BilinearResampler();
  BilinearResampler(const BilinearResampler&) = delete;
  BilinearResampler& operator=(const BilinearResampler&) = delete;

  // map: width x height, row-major; returns outWidth x outHeight, row-major. Throws
  // std::invalid_argument for a map of another size.
  std::vector<float> resample(const std::vector<float>& map) const;

 private:
  struct Weights;
  int width_;
  int height_;
  std::unique_ptr<Weights> weights_;
};

}  // namespace heardmap
