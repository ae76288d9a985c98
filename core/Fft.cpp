#include "Fft.h"

#include <mutex>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/FFT>

namespace heardmap {

// Eigen's FFT object keeps its plans (twiddles) in a cache that its first call for a length
// fills; the lock keeps concurrent transforms of one front end from racing on it.
struct Fft::Plan {
  Eigen::FFT<double> fft;
  std::mutex lock;
  std::vector<std::complex<double>> input;
};

Fft::Fft(int size) : size_(size), plan_(std::make_unique<Plan>()) {
  if (size < 1 || (size & (size - 1)) != 0) {
    throw std::invalid_argument("FFT size " + std::to_string(size) + " is not a power of two");
  }
  std::vector<std::complex<double>> warm(static_cast<size_t>(size));
  transform(warm);  // makes the plan now, not on the first audio window
}

Fft::~Fft() = default;

Fft::Fft(const Fft& other) : Fft(other.size_) {}

Fft& Fft::operator=(const Fft& other) {
  if (this != &other) {
    size_ = other.size_;
    plan_ = std::make_unique<Plan>();
    std::vector<std::complex<double>> warm(static_cast<size_t>(size_));
    transform(warm);
  }
  return *this;
}

void Fft::transform(std::vector<std::complex<double>>& data) const {
  if (data.size() != static_cast<size_t>(size_)) {
    throw std::invalid_argument("FFT of " + std::to_string(data.size()) + " values, planned for " +
                                std::to_string(size_));
  }
  std::lock_guard<std::mutex> hold(plan_->lock);
  plan_->input.assign(data.begin(), data.end());
  plan_->fft.fwd(data, plan_->input);
}

}  // namespace heardmap
