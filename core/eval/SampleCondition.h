// What the audio of an evaluated sample is relative to its picture (IS3+ / SSL-SaN style negatives
// included): the condition every table row and metric is split by, for synthetic scenes and real
// datasets alike.
#pragma once

#include <string>
#include <vector>

namespace heardmap {

enum class SceneCondition {
  Invalid = 0,
  Positive,     // one visible object makes the sound
  Silence,      // all-zero audio
  Noise,        // white noise
  Offscreen,    // the sound of an object that is not in the picture
  MultiSource,  // two visible objects sound at once
};

std::string conditionName(SceneCondition condition);
// The conditions in table order.
const std::vector<SceneCondition>& allConditions();
// True when the audio has a visible source (ground truth exists).
bool hasVisibleSource(SceneCondition condition);

}  // namespace heardmap
