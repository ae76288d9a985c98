#include "FrameJob.h"

#include <cmath>
#include <map>
#include <tuple>

#include "AudioSource.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

PreprocessingContract effectiveContract(const ViewSpec& view) {
  PreprocessingContract contract =
      view.model ? view.model->contract() : PreprocessingContract::ezvsl();
  if (view.placement != WindowPlacement::Invalid) {
    contract.placement = view.placement;
  }
  return contract;
}

FrameRequest buildFrameRequest(const RgbImage& frame, const std::vector<ViewSpec>& views,
                               AudioSource& real, AudioSource* offScreen) {
  FrameRequest out;
  out.request.frame = frame;
  out.errors.resize(views.size());
  const double t = frame.timeSeconds;
  const uint64_t seed = static_cast<uint64_t>(std::llround(t * 1000.0));
  // Views with the same rate, length and placement hear the same real window: cut it once.
  std::map<std::tuple<int, int, int>, std::vector<float>> realWindows;
  for (size_t i = 0; i < views.size(); ++i) {
    const ViewSpec& view = views[i];
    if (!view.model) {
      out.request.audioWindows.emplace_back();
      continue;
    }
    out.anyModel = true;
    const PreprocessingContract contract = effectiveContract(view);
    const std::tuple<int, int, int> key{contract.sampleRateHz, contract.windowSamples(),
                                        static_cast<int>(contract.placement)};
    auto cached = realWindows.find(key);
    if (cached == realWindows.end()) {
      cached = realWindows.emplace(key, real.window(contract, t)).first;
    }
    std::vector<float> other;
    if (view.condition == AudioCondition::OffScreen) {
      if (offScreen == nullptr || offScreen->empty()) {
        out.errors[i] = "off-screen probe: choose another clip (Probes > Off-screen clip...)";
        out.request.audioWindows.emplace_back();
        continue;
      }
      other = offScreen->window(contract, t);
    }
    out.request.audioWindows.push_back(
        applyAudioCondition(view.condition, cached->second, other, seed + i));
  }
  return out;
}

FrameJob::FrameJob(std::vector<ViewSpec> views, AudioSource& real, AudioSource* offScreen)
    : views_(std::move(views)),
      real_(real),
      offScreen_(offScreen),
      worker_(std::make_unique<InferenceWorker>()),
      processors_(views_.size()),
      compositors_(views_.size()) {
  std::vector<std::shared_ptr<LocalizationModel>> models;
  for (size_t i = 0; i < views_.size(); ++i) {
    models.push_back(views_[i].model);
    processors_[i].setSettings(views_[i].overlay);
    compositors_[i].setSettings(views_[i].overlay);
  }
  worker_->setModels(std::move(models));
}

FrameJob::~FrameJob() = default;

std::vector<ViewMaps> FrameJob::run(const RgbImage& frame) {
  FrameRequest built = buildFrameRequest(frame, views_, real_, offScreen_);
  for (size_t i = 0; i < views_.size(); ++i) {
    if (!built.errors[i].empty()) {
      throw ViewFailed(i, built.errors[i]);
    }
  }
  InferenceResult result = worker_->infer(std::move(built.request));
  std::vector<ViewMaps> maps(views_.size());
  for (size_t i = 0; i < views_.size(); ++i) {
    if (!result.errors[i].empty()) {
      throw ViewFailed(i, result.errors[i]);
    }
    maps[i].raw = std::move(result.heatmaps[i]);
    if (!maps[i].raw.empty()) {
      maps[i].display = processors_[i].process(maps[i].raw);
    }
  }
  inferenceMsSum_ += result.totalMs;
  ++frames_;
  return maps;
}

RgbImage FrameJob::compose(size_t view, const RgbImage& frame,
                           const DisplayHeatmap& display) const {
  return compositors_.at(view).compose(frame, display);
}

double FrameJob::meanInferenceMs() const {
  return frames_ > 0 ? inferenceMsSum_ / static_cast<double>(frames_) : 0.0;
}

}  // namespace heardmap
