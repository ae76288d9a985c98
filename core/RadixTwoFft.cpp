#include "RadixTwoFft.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace heardmap {

RadixTwoFft::RadixTwoFft(int size) : size_(size) {
  if (size < 1 || (size & (size - 1)) != 0) {
    throw std::invalid_argument("FFT size " + std::to_string(size) + " is not a power of two");
  }
  twiddles_.resize(static_cast<size_t>(size / 2));
  for (int k = 0; k < size / 2; ++k) {
    twiddles_[static_cast<size_t>(k)] = std::polar(1.0, -2.0 * M_PI * k / size);
  }
}

void RadixTwoFft::transform(std::vector<std::complex<double>>& data) const {
  const size_t n = data.size();
  if (n != static_cast<size_t>(size_)) {
    throw std::invalid_argument("FFT of " + std::to_string(n) + " values, planned for " +
                                std::to_string(size_));
  }
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) {
      j ^= bit;
    }
    j ^= bit;
    if (i < j) {
      std::swap(data[i], data[j]);
    }
  }
  for (size_t length = 2; length <= n; length <<= 1) {
    const size_t stride = n / length;
    for (size_t start = 0; start < n; start += length) {
      for (size_t k = 0; k < length / 2; ++k) {
        const std::complex<double> t = twiddles_[k * stride] * data[start + k + length / 2];
        data[start + k + length / 2] = data[start + k] - t;
        data[start + k] += t;
      }
    }
  }
}

}  // namespace heardmap
