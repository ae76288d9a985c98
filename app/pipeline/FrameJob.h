// The per-frame work every front end shares: frame -> each view's audio window -> inference ->
// heatmap processing -> compositing. The player posts the request to its own InferenceWorker
// (latest-wins, results on a later tick) and processes the maps in its views; `heardmap render`,
// the grid export and the annotation scorer run a frame at a time with run(). Per-view state (the
// processor's normalisation and persistence) lives here, one per view.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ViewSpec.h"
#include "core/DisplayHeatmap.h"
#include "core/Heatmap.h"
#include "core/HeatmapCompositor.h"
#include "core/HeatmapProcessor.h"
#include "core/RgbImage.h"
#include "core/ml/InferenceWorker.h"

namespace heardmap {

class AudioSource;

// A view failed on a frame: what() says "view N: reason" (N 1-based); reason alone for a front
// end with one view.
class ViewFailed : public std::runtime_error {
 public:
  ViewFailed(size_t viewIndex, const std::string& why)
      : std::runtime_error("view " + std::to_string(viewIndex + 1) + ": " + why),
        view(viewIndex),
        reason(why) {}
  size_t view;
  std::string reason;
};

// One view's output for a frame.
struct ViewMaps {
  Heatmap raw;
  DisplayHeatmap display;
};

// The audio every view hears for one frame, as an inference request, and per view the window
// (empty for a view without a model) and the reason it has none (empty when it has one).
struct FrameRequest {
  InferenceRequest request;
  std::vector<std::string> errors;
  bool anyModel = false;
};

// Cuts each view's window for a frame at timeSeconds: the real window once per (rate, length,
// placement), the view's probe applied (seeded by the time, so a replay hears the same noise),
// the off-screen window from offScreen. A view with no model gets an empty window; an off-screen
// view with no off-screen source gets an empty window and an error.
FrameRequest buildFrameRequest(const RgbImage& frame, const std::vector<ViewSpec>& views,
                               AudioSource& real, AudioSource* offScreen);

class FrameJob {
 public:
  // offScreen may be null when no view hears the off-screen probe. Neither source is owned.
  FrameJob(std::vector<ViewSpec> views, AudioSource& real, AudioSource* offScreen);
  ~FrameJob();
  FrameJob(const FrameJob&) = delete;
  FrameJob& operator=(const FrameJob&) = delete;

  size_t viewCount() const { return views_.size(); }
  // Runs every view on the frame (views sharing a network share its visual pass) and processes
  // the maps. Throws ViewFailed when a view has no audio or its model fails.
  std::vector<ViewMaps> run(const RgbImage& frame);
  // The frame with view's processed map laid over it, as the shader draws it.
  RgbImage compose(size_t view, const RgbImage& frame, const DisplayHeatmap& display) const;
  // Mean inference time of one frame for all views together, over the frames run so far.
  double meanInferenceMs() const;

 private:
  std::vector<ViewSpec> views_;
  AudioSource& real_;
  AudioSource* offScreen_;
  std::unique_ptr<InferenceWorker> worker_;
  std::vector<HeatmapProcessor> processors_;
  std::vector<HeatmapCompositor> compositors_;
  double inferenceMsSum_ = 0.0;
  int64_t frames_ = 0;
};

}  // namespace heardmap
