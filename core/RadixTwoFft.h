// An in-place complex FFT of a power-of-two length (iterative radix 2, double precision), shared by
// the audio front-ends (core/Spectrogram, core/VggishLogMel). A library FFT (FFTW, Eigen's) would
// tie core to a package that the CUDA machine's LibTorch-only build does not have.
#pragma once

#include <complex>
#include <vector>

namespace heardmap {

class RadixTwoFft {
 public:
  // size: a power of two >= 1; throws std::invalid_argument otherwise.
  explicit RadixTwoFft(int size);

  // The forward DFT of data (data.size() must equal size()): X[k] = sum x[n] e^{-2 pi i k n / N}.
  void transform(std::vector<std::complex<double>>& data) const;
  int size() const { return size_; }

 private:
  int size_;
  std::vector<std::complex<double>> twiddles_;
};

}  // namespace heardmap
