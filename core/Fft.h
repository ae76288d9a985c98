// A complex FFT of a fixed length (double precision) shared by the audio front-ends
// (core/Spectrogram, core/VggishLogMel): Eigen's FFT module (its KISS FFT back end) inside, the
// plan made once per length. Eigen stays out of this header.
#pragma once

#include <complex>
#include <memory>
#include <vector>

namespace heardmap {

class Fft {
 public:
  // size: a power of two >= 1 (what the contracts ask for); throws std::invalid_argument otherwise.
  explicit Fft(int size);
  ~Fft();
  Fft(const Fft& other);
  Fft& operator=(const Fft& other);

  // The forward DFT of data (data.size() must equal size()): X[k] = sum x[n] e^{-2 pi i k n / N}.
  // Safe to call from several threads at once.
  void transform(std::vector<std::complex<double>>& data) const;
  int size() const { return size_; }

 private:
  struct Plan;
  int size_;
  std::unique_ptr<Plan> plan_;
};

}  // namespace heardmap
