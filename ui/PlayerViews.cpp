// PlayerController's views: each view's model, probe, name and overlay, and the audio every view
// hears for the frame on screen (the frame job's request, posted to the inference worker).
// The clock, the tick and the transport are in PlayerController.cpp.
#include "PlayerController.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

void PlayerController::setViewCount(int count) {
  count = std::clamp(count, 1, kMaxViews);
  if (count == viewCount()) {
    return;
  }
  // A new view starts empty, with default overlay settings: the window gives it the next model
  // not yet shown (MainWindow::ensureModels), not a copy of the previous view.
  while (viewCount() < count) {
    views_.emplace_back();
  }
  views_.resize(static_cast<size_t>(count));
  modelsChanged();
}

void PlayerController::setViewModel(int index, std::shared_ptr<LocalizationModel> model,
                                    const QString& path, const LoadOptions& options) {
  ViewSlot& slot = views_.at(static_cast<size_t>(index));
  // Views loading the same checkpoint file the same way share one model (one set of weights).
  for (const ViewSlot& other : views_) {
    if (model && other.model && !path.isEmpty() && other.checkpointPath == path &&
        other.loadOptions.method == options.method &&
        other.loadOptions.momentumBranch == options.momentumBranch) {
      model = other.model;
      break;
    }
  }
  slot.model = std::move(model);
  slot.checkpointPath = path;
  slot.loadOptions = options;
  slot.loadError.clear();
  slot.peakByMs.clear();
  modelsChanged();
}

void PlayerController::setViewName(int index, const QString& name) {
  views_.at(static_cast<size_t>(index)).name = name.trimmed();
  modelsChanged();
}

void PlayerController::setViewLoadError(int index, const QString& path,
                                        const std::string& message) {
  ViewSlot& slot = views_.at(static_cast<size_t>(index));
  slot.model.reset();
  slot.checkpointPath = path;
  slot.loadError = message;
  slot.raw = Heatmap{};
  slot.display = DisplayHeatmap{};
  slot.peakByMs.clear();
  modelsChanged();
}

void PlayerController::setModel(std::shared_ptr<LocalizationModel> model) {
  setViewModel(0, std::move(model), QString());
}

std::shared_ptr<LocalizationModel> PlayerController::model() const {
  return views_.front().model;
}

void PlayerController::setViewCondition(int index, AudioCondition condition) {
  ViewSlot& slot = views_.at(static_cast<size_t>(index));
  slot.condition = condition;
  slot.processor.reset();
  slot.peakByMs.clear();
  Q_EMIT viewsChanged();
  submitCurrentFrame();
}

void PlayerController::setAllViewConditions(AudioCondition condition) {
  for (ViewSlot& slot : views_) {
    slot.condition = condition;
    slot.processor.reset();
    slot.peakByMs.clear();
  }
  Q_EMIT viewsChanged();
  submitCurrentFrame();
}

void PlayerController::modelsChanged() {
  std::vector<std::shared_ptr<LocalizationModel>> models;
  for (ViewSlot& slot : views_) {
    slot.processor.reset();
    slot.error.clear();
    models.push_back(slot.model);
  }
  generation_ = worker_->setModels(std::move(models));
  Q_EMIT viewsChanged();
  submitCurrentFrame();
}

ViewSpec PlayerController::viewSpec(int index) const {
  const ViewSlot& slot = views_.at(static_cast<size_t>(index));
  // Live, every window is causal: a microphone has no future.
  return {slot.model, slot.condition, slot.processor.settings(),
          isLive() ? WindowPlacement::Causal : placementOverride_};
}

PreprocessingContract PlayerController::effectiveContract(int index) const {
  return heardmap::effectiveContract(viewSpec(index));
}

void PlayerController::setViewOverlaySettings(int index, const OverlaySettings& settings) {
  for (int i = 0; i < viewCount(); ++i) {
    if (index >= 0 && i != index) {
      continue;
    }
    ViewSlot& slot = views_[static_cast<size_t>(i)];
    slot.processor.setSettings(settings);
    Q_EMIT viewOverlayChanged(i, settings);
    const DisplayHeatmap current = slot.processor.current();
    if (!current.empty()) {
      slot.display = current;
      Q_EMIT heatmapReady(i, current);
    }
  }
}

void PlayerController::setWindowPlacement(WindowPlacement placement) {
  placementOverride_ = placement;
  for (ViewSlot& slot : views_) {
    slot.processor.reset();
  }
  submitCurrentFrame();
}

void PlayerController::submitCurrentFrame() {
  if (currentFrame_.empty()) {
    return;
  }
  std::vector<ViewSpec> specs;
  for (int i = 0; i < viewCount(); ++i) {
    specs.push_back(viewSpec(i));
  }
  // Live, the real-audio views hear the microphone; otherwise the clip's file audio.
  ClipAudioSource clip(&clipAudio_);
  MicrophoneAudioSource microphone(mic_.get());
  ClipAudioSource offScreen(&offScreenAudio_);
  AudioSource& real = mic_ ? static_cast<AudioSource&>(microphone) : clip;
  FrameRequest built = buildFrameRequest(currentFrame_, specs, real, &offScreen);
  for (size_t i = 0; i < views_.size(); ++i) {
    if (!built.errors[i].empty()) {
      views_[i].error = built.errors[i];
    }
    views_[i].window = built.request.audioWindows[i];
  }
  built.request.generation = generation_;
  if (built.anyModel) {
    worker_->submit(std::move(built.request));
  }
}

}  // namespace heardmap
