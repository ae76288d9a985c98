#include "SampleCondition.h"

namespace heardmap {

std::string conditionName(SceneCondition condition) {
  switch (condition) {
    case SceneCondition::Positive:
      return "positive";
    case SceneCondition::Silence:
      return "silence";
    case SceneCondition::Noise:
      return "noise";
    case SceneCondition::Offscreen:
      return "offscreen";
    case SceneCondition::MultiSource:
      return "multisource";
    case SceneCondition::Invalid:
      break;
  }
  return "invalid";
}

const std::vector<SceneCondition>& allConditions() {
  static const std::vector<SceneCondition> kAll = {
      SceneCondition::Positive, SceneCondition::MultiSource, SceneCondition::Silence,
      SceneCondition::Noise, SceneCondition::Offscreen};
  return kAll;
}

bool hasVisibleSource(SceneCondition condition) {
  return condition == SceneCondition::Positive || condition == SceneCondition::MultiSource;
}

}  // namespace heardmap
