// What one view of a front end runs: a model, the audio condition it hears, its overlay and an
// optional window placement override. The player, `heardmap render`, the grid export and the
// annotation scorer describe their views with it and hand them to a FrameJob.
#pragma once

#include <memory>
#include <string>

#include "core/AudioCondition.h"
#include "core/OverlaySettings.h"
#include "core/PreprocessingContract.h"

namespace heardmap {

class LocalizationModel;

struct ViewSpec {
  std::shared_ptr<LocalizationModel> model;  // null = a view with nothing to run
  AudioCondition condition = AudioCondition::Real;
  OverlaySettings overlay;
  // Where the window sits around the frame; Invalid = the model contract's own placement.
  WindowPlacement placement = WindowPlacement::Invalid;
};

// The contract the view's model runs with: its own, with the placement override applied.
PreprocessingContract effectiveContract(const ViewSpec& view);

}  // namespace heardmap
