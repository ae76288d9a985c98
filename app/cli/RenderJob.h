// Renders a clip with a model's heatmap overlaid (decode, infer every frame, composite on the CPU,
// encode with the original audio), and/or a PNG snapshot at one time.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/OverlaySettings.h"
#include "core/PreprocessingContract.h"

namespace heardmap {

class LocalizationModel;

struct RenderOptions {
  std::string inputPath;
  std::string outputPath;    // mp4; empty = no video
  std::string snapshotPath;  // png; empty = no snapshot
  double snapshotSeconds = 0.0;
  OverlaySettings overlay;
  WindowPlacement placement = WindowPlacement::Invalid;  // Invalid = the model contract's
};

struct RenderSummary {
  int64_t frames = 0;
  double meanInferenceMs = 0.0;
  double wallSeconds = 0.0;
  bool audioPresent = false;
  int audioSourceRateHz = 0;
  std::string warning;
};

// Progress callback: (frames done, frames expected).
using RenderProgress = std::function<void(int64_t, int64_t)>;

// Throws MediaError / FileError / CheckpointError with a clear message.
RenderSummary renderOverlay(const RenderOptions& options, LocalizationModel& model,
                            const RenderProgress& progress);

}  // namespace heardmap
