// What one view of the grid shows: its model (checkpoint), the audio condition its model hears,
// its overlay post-processing and the latest maps. Owned by PlayerController.
#pragma once

#include <QString>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/AudioCondition.h"
#include "core/DisplayHeatmap.h"
#include "core/Heatmap.h"
#include "core/HeatmapProcessor.h"
#include "core/ml/ForeignCheckpoint.h"

namespace heardmap {

class LocalizationModel;

struct ViewSlot {
  std::shared_ptr<LocalizationModel> model;
  QString checkpointPath;   // empty = the untrained demo model
  LoadOptions loadOptions;  // how checkpointPath was read (method, SLAVC momentum branch)
  QString name;             // the user's name for the view (double-click it); empty = none
  AudioCondition condition = AudioCondition::Real;
  HeatmapProcessor processor;
  Heatmap raw;             // latest raw map
  DisplayHeatmap display;  // latest processed map
  std::string error;       // latest inference error, empty if none
  // The checkpoint at checkpointPath did not load (why); the view has no model and shows this.
  std::string loadError;
  std::vector<float> window;          // the audio the model heard for the frame on screen
  std::map<int64_t, float> peakByMs;  // peak raw score over media time (ms), for the timeline
};

}  // namespace heardmap
