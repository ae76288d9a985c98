// Torch translation unit: the methods behind TrainingMethod (small classes, one per method).
#include "TrainingMethodTorch.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "DeviceFrontEndTorch.h"
#include "EzvslObjectiveTorch.h"
#include "core/Methods.h"

namespace heardmap {
namespace {

// LVS trimap thresholds and temperatures (the LVS paper; docs/training.md "Methods").
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
    return "provisional SSL-SaN recipe (docs/training.md; the paper's exact loss was not "
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

// SSPL (negative-free; docs/training.md "Methods") on our trunks: two augmented views of each frame
// (random square crop of 224/246 of the side, resized back, horizontal flip half the time), the
// same audio; each view's trunk map refined by the PCM with a_orig, pooled with the min-max
// normalised cosine map against a = fc(a_orig) as attention, then the SimSiam projector and
// predictor; loss = 0.5 * (-cos(p1, sg(z2)) - cos(p2, sg(z1))). No negatives at all. Trained
// end to end here (the paper freezes ImageNet VGG-16 and VGGish, whose weights are not available).
class SsplMethod : public TrainingMethod {
 public:
  std::string name() const override { return "sspl"; }
  std::string recipe() const override {
    return "provisional SSPL on our ResNet trunks (the paper's frozen VGG-16 / VGGish weights are "
           "not available): two augmented views, predictive coding module with 4 cycles, "
           "attention pooling, SimSiam projector + predictor, negative-free loss";
  }
  bool provisional() const override { return true; }
  void configureModel(ModelConfig& config) const override { config.layer4Stride = 1; }
  bool contrastsAcrossBatch() const override { return false; }
  torch::Tensor loss(const torch::Tensor&, const torch::Tensor&, double, int64_t) const override {
    throw std::logic_error("SSPL's loss needs the network: use networkLoss");
  }
  torch::Tensor networkLoss(EzvslNet& net, const torch::Tensor& images,
                            const torch::Tensor& spectrograms, double, int64_t,
                            const BatchGather&) const override {
    const torch::Tensor audio = net->encodeAudio(spectrograms);
    const int64_t d = net->aud_proj->options.out_features();
    const torch::Tensor original = audio.narrow(1, 0, d);
    const torch::Tensor a = audio.narrow(1, d, audio.size(1) - d);
    const auto fused = [&](const torch::Tensor& view) {
      const torch::Tensor refined = net->pcm->forward(net->encodeImage(view), original);
      torch::Tensor attention =
          torch::cosine_similarity(refined, a.unsqueeze(-1).unsqueeze(-1), 1).flatten(1);
      const torch::Tensor low = std::get<0>(attention.min(1, true));
      const torch::Tensor high = std::get<0>(attention.max(1, true));
      attention = (attention - low) / (high - low + 1e-10);
      return (refined.flatten(2) * attention.unsqueeze(1)).sum(2);  // B x C
    };
    const torch::Tensor f1 = fused(augment(images));
    const torch::Tensor f2 = fused(augment(images));
    const torch::Tensor z1 = net->sspl_projector->forward(f1);
    const torch::Tensor z2 = net->sspl_projector->forward(f2);
    return simSiamLoss(net->sspl_predictor->forward(z1), z1, net->sspl_predictor->forward(z2), z2);
  }

 private:
  // Random crop of kCropFraction of the side, resized back (bilinear, as interpolate with
  // align_corners = false on the crop), flipped half the time: one grid_sample for the batch
  // (offsets and flips drawn on the CPU, so no device round trip).
  static torch::Tensor augment(const torch::Tensor& images) {
    const int64_t batch = images.size(0);
    const int64_t size = images.size(2);
    const int64_t crop = std::max<int64_t>(8, std::llround(size * kCropFraction));
    const auto cpu = torch::TensorOptions().dtype(torch::kFloat);
    const torch::Tensor left = torch::randint(0, size - crop + 1, {batch, 1}, cpu);
    const torch::Tensor top = torch::randint(0, size - crop + 1, {batch, 1}, cpu);
    const torch::Tensor flip = torch::rand({batch, 1}, cpu) < 0.5;
    return resizedCropFlip(images, left, top, flip, crop, size);
  }

  // SSPL's resize 246 + random crop 224.
  static constexpr double kCropFraction = 224.0 / 246.0;
};

}  // namespace

torch::Tensor TrainingMethod::networkLoss(EzvslNet& net, const torch::Tensor& images,
                                          const torch::Tensor& spectrograms, double temperature,
                                          int64_t step, const BatchGather& gather) const {
  const torch::Tensor visual = net->encodeImage(images);
  const torch::Tensor audio = net->encodeAudio(spectrograms);
  if (!gather) {
    return loss(visual, audio, temperature, step);
  }
  const int64_t batch = images.size(0);
  torch::Tensor allAudio = gather(audio.narrow(0, 0, batch));
  if (audio.size(0) > batch) {
    allAudio = torch::cat({allAudio, gather(audio.narrow(0, batch, audio.size(0) - batch))});
  }
  return loss(gather(visual), allAudio, temperature, step);
}

PreprocessingContract TrainingMethod::contract(int imageSize) const {
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = imageSize;
  return contract;
}

std::unique_ptr<LocalizationModel> createModelFromScratch(const TrainingConfig& config,
                                                          const TrainingMethod& method) {
  ModelConfig modelConfig = ModelConfig::named(config.variant);
  modelConfig.method = config.method;
  modelConfig.temperature = config.temperature;
  method.configureModel(modelConfig);
  if (config.layer4Stride > 0) {
    modelConfig.layer4Stride = config.layer4Stride;
  }
  if (!config.imagePadding.empty()) {
    modelConfig.imagePadding = config.imagePadding;
  }
  return LocalizationModel::createUntrained(
      modelConfig, method.contract(modelConfig.defaultImageSize()), config.seed);
}

namespace {

// "pcm (60), aud_fc (4)": tensor names grouped by their top-level module, with counts.
std::string modulesOf(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int>> groups;
  for (const std::string& name : names) {
    const std::string module = name.substr(0, name.find('.'));
    if (groups.empty() || groups.back().first != module) {
      groups.emplace_back(module, 0);
    }
    ++groups.back().second;
  }
  std::string text;
  for (const auto& [module, count] : groups) {
    text += (text.empty() ? "" : ", ") + module + " (" + std::to_string(count) + ")";
  }
  return text;
}

// The trunk flags (--layer4-stride, --image-padding) that change the base's trunk, applied to
// modelConfig, as notes for the run's description ("" when none was given or each matches).
std::string applyTrunkFlags(const TrainingConfig& config, ModelConfig& modelConfig) {
  std::string notes;
  if (config.layer4Stride > 0 && config.layer4Stride != modelConfig.layer4Stride) {
    notes += "; layer4 stride " + std::to_string(config.layer4Stride) + " (the base's " +
             std::to_string(modelConfig.layer4Stride) + ")";
    modelConfig.layer4Stride = config.layer4Stride;
  }
  if (!config.imagePadding.empty() && config.imagePadding != modelConfig.imagePadding) {
    notes +=
        "; " + config.imagePadding + " image padding (the base's " + modelConfig.imagePadding + ")";
    modelConfig.imagePadding = config.imagePadding;
  }
  return notes;
}

}  // namespace

InitialModel createModelFromInit(const TrainingConfig& config) {
  InitialModel initial;
  std::unique_ptr<LocalizationModel> base = LocalizationModel::load(config.initPath);
  const std::string baseMethod = base->info().config.method;
  if (base->info().config.network() == Architecture::SsplVgg) {
    // Its VGG-16 and VGGish share no tensor with the ResNet-18 networks heardmap-train builds.
    throw CheckpointError(config.initPath +
                          ": the official SSPL network (VGG-16, VGGish) loads for maps and "
                          "evaluation only; heardmap-train trains SSPL on ResNet-18 trunks "
                          "(start it from an EZ-VSL-family checkpoint or from scratch)");
  }
  const std::string from = "--init " + config.initPath + " (" + baseMethod + ")";
  ModelConfig modelConfig = base->info().config;
  modelConfig.method = config.method;
  // The network heardmap-train builds for the method (core/Methods.h): the five EZ-VSL-family
  // methods share one; SSPL's has its PCM and heads. A base of another network (SLAVC's two heads,
  // the LVS AVENet, or SSPL's for another method) gives its trunks to a new one.
  modelConfig.architecture = ModelConfig::defaultArchitecture(config.method);
  const std::string trunkNotes = applyTrunkFlags(config, modelConfig);
  const bool sameNetwork = base->info().config.network() == modelConfig.network();
  if (sameNetwork && trunkNotes.empty()) {
    base->info().config.method = config.method;  // fine-tuned with this method from now on
    initial.description = from + ": every tensor";
    initial.model = std::move(base);
    return initial;
  }
  // A new network for the method (or the new trunk): strides and padding leave every weight's
  // name and shape as they were, so only the modules one network has and the other lacks differ.
  // Within one network the base's training-only heads come along too.
  initial.model = LocalizationModel::createUntrained(modelConfig, base->contract(), config.seed);
  const LoadReport report = initial.model->loadWeights(
      base->stateDict(DType::F32, /*inferenceOnly=*/!sameNetwork), /*allowMissing=*/true);
  if (report.loaded == 0) {
    throw CheckpointError(config.initPath + " shares no tensor with a " + config.method + " model");
  }
  CheckpointInfo info = base->info();
  info.config = modelConfig;
  initial.model->info() = info;
  initial.description =
      from + ": " +
      (sameNetwork && report.missing.empty() ? std::string("every tensor")
                                             : std::to_string(report.loaded) + " tensors");
  if (!report.missing.empty()) {
    initial.description += "; new for " + config.method + ": " + modulesOf(report.missing);
  }
  if (!report.unexpected.empty()) {
    initial.description += "; left out: " + modulesOf(report.unexpected);
  }
  initial.description += trunkNotes;
  return initial;
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
  if (config.method == "sspl") {
    return std::make_unique<SsplMethod>();
  }
  throw std::invalid_argument("unknown method '" + config.method + "'");
}

}  // namespace heardmap
