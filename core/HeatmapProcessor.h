// Turns a stream of raw heatmaps into display heatmaps: persistence (an exponential moving average
// with a time constant in ms of media time) and the normalization mode.
#pragma once

#include "DisplayHeatmap.h"
#include "Heatmap.h"
#include "OverlaySettings.h"

namespace heardmap {

class HeatmapProcessor {
 public:
  void setSettings(const OverlaySettings& settings);
  const OverlaySettings& settings() const { return settings_; }

  // Feeds the next heatmap (in media-time order) and returns what to draw. A jump backwards or by
  // more than kResetGapSeconds (a seek) restarts the smoothing.
  DisplayHeatmap process(const Heatmap& heatmap);
  // Recomputes the display range of the current smoothed state (after a settings change).
  DisplayHeatmap current() const;
  void reset();

 private:
  DisplayHeatmap makeDisplay() const;

  OverlaySettings settings_;
  Heatmap smoothed_;
  bool hasState_ = false;
  float runningLow_ = 0.0f;
  float runningHigh_ = 0.0f;
};

}  // namespace heardmap
