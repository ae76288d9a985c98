// Torch translation unit: the methods behind TrainingMethod (small classes, one per method).
#include "TrainingMethodTorch.h"

#include <cmath>
#include <stdexcept>

#include "EzvslObjectiveTorch.h"

namespace heardmap {
namespace {

// LVS trimap thresholds and temperatures (methods.md section 3).
constexpr double kLvsPositiveThreshold = 0.65;
constexpr double kLvsNegativeThreshold = 0.4;
constexpr double kLvsTrimapTemperature = 0.03;
constexpr double kLvsTemperature = 0.07;

class EzvslMethod : public TrainingMethod {
 public:
  std::string name() const override { return "ezvsl"; }
  std::string recipe() const override {
    return "EZ-VSL: multiple-instance InfoNCE (max over locations), symmetric, temperature tau";
  }
  torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                     int64_t) const override {
    return ezvslLoss(visual, audio, temperature);
  }
};

class LvsMethod : public TrainingMethod {
 public:
  std::string name() const override { return "lvs"; }
  std::string recipe() const override {
    return "LVS: trimap hard negatives (eps_p 0.65, eps_n 0.4, tau_trimap 0.03, logits / 0.07), "
           "layer4 stride 1; keeps the EZ-VSL projection heads and the 3 s window";
  }
  void configureModel(ModelConfig& config) const override { config.layer4Stride = 1; }
  torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio, double,
                     int64_t) const override {
    return lvsLoss(visual, audio, kLvsPositiveThreshold, kLvsNegativeThreshold,
                   kLvsTrimapTemperature, kLvsTemperature);
  }
};

class MarginNceMethod : public TrainingMethod {
 public:
  explicit MarginNceMethod(double margin) : margin_(margin) {}
  std::string name() const override { return "marginnce"; }
  std::string recipe() const override {
    return "MarginNCE: EZ-VSL loss with margin " + std::to_string(margin_) +
           " on the positive cosine";
  }
  torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                     int64_t) const override {
    return ezvslLoss(visual, audio, temperature, margin_);
  }

 private:
  double margin_;
};

class FnacMethod : public TrainingMethod {
 public:
  FnacMethod(double lambda, int64_t warmupSteps, double dropout)
      : lambda_(lambda), warmupSteps_(warmupSteps), dropout_(dropout) {}
  std::string name() const override { return "fnac"; }
  std::string recipe() const override {
    return "FNAC: EZ-VSL loss + lambda " + std::to_string(lambda_) +
           " x (FNS1 + TNE + FNS2) after " + std::to_string(warmupSteps_) +
           " warm-up steps, image dropout " + std::to_string(dropout_);
  }
  double imageDropout() const override { return dropout_; }
  torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                     int64_t step) const override {
    if (step < warmupSteps_) {
      return ezvslLoss(visual, audio, temperature);
    }
    return fnacLoss(visual, audio, temperature, lambda_);
  }

 private:
  double lambda_;
  int64_t warmupSteps_;
  double dropout_;
};

class SslSanMethod : public TrainingMethod {
 public:
  explicit SslSanMethod(double ratio) : ratio_(ratio) {}
  std::string name() const override { return "sslsan"; }
  std::string recipe() const override {
    return "provisional SSL-SaN recipe (methods.md 9.3; the paper's exact loss was not "
           "available): silence and white-noise windows appended as negative audio columns of the "
           "image->audio softmax, ratio " +
           std::to_string(ratio_);
  }
  bool provisional() const override { return true; }
  int extraNegativeAudio(int batchSize) const override {
    return static_cast<int>(std::lround(ratio_ * batchSize));
  }
  torch::Tensor loss(const torch::Tensor& visual, const torch::Tensor& audio, double temperature,
                     int64_t) const override {
    return ezvslLoss(visual, audio, temperature);
  }

 private:
  double ratio_;
};

}  // namespace

PreprocessingContract TrainingMethod::contract(int imageSize) const {
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = imageSize;
  return contract;
}

std::vector<std::string> trainingMethodNames() {
  return {"ezvsl", "lvs", "marginnce", "fnac", "sslsan"};
}

std::unique_ptr<TrainingMethod> makeTrainingMethod(const TrainingConfig& config) {
  if (config.method == "ezvsl") {
    return std::make_unique<EzvslMethod>();
  }
  if (config.method == "lvs") {
    return std::make_unique<LvsMethod>();
  }
  if (config.method == "marginnce") {
    return std::make_unique<MarginNceMethod>(config.margin);
  }
  if (config.method == "fnac") {
    return std::make_unique<FnacMethod>(config.fnacLambda, config.warmupSteps, config.imageDropout);
  }
  if (config.method == "sslsan") {
    return std::make_unique<SslSanMethod>(config.negativeRatio);
  }
  throw std::invalid_argument("unknown method '" + config.method + "'");
}

}  // namespace heardmap
