#include "Scene.h"

namespace heardmap {

std::vector<PixelBox> Scene::sourceBoxes() const {
  std::vector<PixelBox> boxes;
  for (const PlacedObject& o : objects) {
    if (o.sounding) {
      boxes.push_back(o.box);
    }
  }
  return boxes;
}

EvalTarget evalTargetOf(const Scene& scene) {
  EvalTarget target;
  target.condition = scene.condition;
  if (!hasVisibleSource(scene.condition)) {
    return target;
  }
  // Scenes are synthesised at the evaluation grid size, so boxes are already in its pixels.
  target.groundTruth = unionGroundTruth(scene.sourceBoxes(), kEvalGridSize);
  if (scene.condition == SceneCondition::MultiSource) {
    for (const PixelBox& box : scene.sourceBoxes()) {
      target.instanceGroundTruths.push_back(unionGroundTruth({box}, kEvalGridSize));
    }
    target.group = std::to_string(scene.seed);
  }
  return target;
}

}  // namespace heardmap
