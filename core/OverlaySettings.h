// How a heatmap is turned into colour over the video: shared by the GL view and the CPU renderer.
#pragma once

#include <string>

#include "Json.h"

namespace heardmap {

enum class ColormapId { Invalid = 0, Jet, Viridis, Inferno, Gray };

enum class NormalizationMode {
  Invalid = 0,
  PerFrameMinMax,     // the papers' display: every frame stretched to [0, 1] (always shows a spot)
  AbsoluteThreshold,  // (cos + 1) / 2 above a fixed threshold; nothing drawn below it
  RunningRange,       // range grows at once and shrinks slowly (kRunningRangeDecay)
};

struct OverlaySettings {
  ColormapId colormap = ColormapId::Jet;
  float opacity = 0.5f;
  NormalizationMode normalization = NormalizationMode::PerFrameMinMax;
  float threshold = 0.55f;     // in (cos + 1) / 2 units, for AbsoluteThreshold
  double persistenceMs = 0.0;  // EMA time constant over successive heatmaps; 0 = off
  bool peakCrosshair = false;  // the player marks the map's highest cell with a crosshair
};

std::string colormapName(ColormapId id);
ColormapId colormapFromName(const std::string& name);
std::string normalizationName(NormalizationMode mode);
NormalizationMode normalizationFromName(const std::string& name);

// Every setting by name, for snapshot and export records: {"colormap": "jet", "opacity": 0.5,
// "normalization": "minmax", "threshold": 0.55, "persistence_ms": 0}.
Json overlayJson(const OverlaySettings& settings);
// One line for captions: "jet 50 %, min-max" or "viridis 40 %, absolute >= 0.55, EMA 200 ms".
std::string overlaySummary(const OverlaySettings& settings);

}  // namespace heardmap
