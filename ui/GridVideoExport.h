// Exports a time range of the view grid as an mp4 with the clip's audio: each frame is decoded,
// every view's model runs on it (own model copies, shared visual passes), the overlay is
// composited on the CPU (HeatmapCompositor, the shader's twin), captions are drawn, and the
// tiles are encoded. Runs on any thread; cancel leaves no file behind.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/AudioCondition.h"
#include "core/OverlaySettings.h"
#include "core/PreprocessingContract.h"
#include "core/annotate/FailureAnnotation.h"

namespace heardmap {

struct GridExportView {
  std::string name;        // caption
  std::string checkpoint;  // empty = the untrained demo model
  AudioCondition condition = AudioCondition::Real;
  OverlaySettings overlay;
};

struct GridExportOptions {
  std::string clipPath;
  std::string offScreenClipPath;  // for OffScreen views
  std::string outputPath;         // .mp4
  double startSeconds = 0.0;
  double endSeconds = 0.0;
  WindowPlacement placement = WindowPlacement::Invalid;
  std::vector<GridExportView> views;
  int tileWidth = 640;  // pixels per view (height follows the clip's aspect)
  // Failures whose boxes are drawn on every tile while their range covers the frame (with their
  // number and tag), as the player draws them; empty = none.
  std::vector<FailureAnnotation> failures;
};

struct GridExportSummary {
  int frames = 0;
  bool cancelled = false;
  int width = 0;
  int height = 0;
  std::string warning;  // a partial decode of the range, or the decoder's trouble; "" if none
};

// progress(frames done, frames expected). Throws MediaError / CheckpointError / FileError.
GridExportSummary exportGridVideo(const GridExportOptions& options,
                                  const std::function<void(int, int)>& progress,
                                  const std::atomic<bool>* cancel);

}  // namespace heardmap
