#include "BilinearResampler.h"

#include <Eigen/Core>
#include <algorithm>
#include <stdexcept>
#include <string>

namespace heardmap {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The weights that take n source samples to outN output samples along one axis.
RowMajor axisWeights(int n, int outN, SampleGrid grid) {
  RowMajor w = RowMajor::Zero(outN, n);
  for (int i = 0; i < outN; ++i) {
    int i0 = 0;
    int i1 = 0;
    double t = 0.0;
    if (grid == SampleGrid::AlignCorners) {
      const double f = outN > 1 ? i * (static_cast<double>(n - 1) / (outN - 1)) : 0.0;
      i0 = std::min(static_cast<int>(f), n - 1);
      i1 = std::min(i0 + 1, n - 1);
      t = f - i0;
    } else {
      const double u = std::clamp((i + 0.5) / outN, 0.0, 1.0);
      const double f = u * (n - 1);
      i0 = std::min(static_cast<int>(f), std::max(n - 2, 0));
      i1 = std::min(i0 + 1, n - 1);
      t = f - i0;
    }
    w(i, i0) += 1.0 - t;
    w(i, i1) += t;
  }
  return w;
}

}  // namespace

struct BilinearResampler::Weights {
  RowMajor rows;     // outHeight x height
  RowMajor columns;  // outWidth x width
};

BilinearResampler::BilinearResampler(int width, int height, int outWidth, int outHeight,
                                     SampleGrid grid)
    : width_(width), height_(height) {
  if (width < 1 || height < 1 || outWidth < 1 || outHeight < 1) {
    throw std::invalid_argument("bilinear resampling: sizes must be at least 1 (got " +
                                std::to_string(width) + " x " + std::to_string(height) + " to " +
                                std::to_string(outWidth) + " x " + std::to_string(outHeight) + ")");
  }
  weights_ = std::make_unique<Weights>(
      Weights{axisWeights(height, outHeight, grid), axisWeights(width, outWidth, grid)});
}

BilinearResampler::~BilinearResampler() = default;

std::vector<float> BilinearResampler::resample(const std::vector<float>& map) const {
  if (map.size() != static_cast<size_t>(width_) * static_cast<size_t>(height_)) {
    throw std::invalid_argument("bilinear resampling: a map of " + std::to_string(map.size()) +
                                " values is not " + std::to_string(width_) + " x " +
                                std::to_string(height_));
  }
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
      source(map.data(), height_, width_);
  const RowMajor out = weights_->rows * source.cast<double>() * weights_->columns.transpose();
  std::vector<float> result(static_cast<size_t>(out.size()));
  Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      result.data(), out.rows(), out.cols()) = out.cast<float>();
  return result;
}

}  // namespace heardmap
