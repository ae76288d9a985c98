// One synthetic benchmark sample: a picture, the audio window heard with it, and where (if
// anywhere) the sound comes from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../RgbImage.h"
#include "../eval/GroundTruth.h"

namespace heardmap {

// What the audio is relative to the picture (IS3+ / SSL-SaN style negatives included).
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

struct PlacedObject {
  std::string name;
  bool sounding = false;  // makes the sound heard in this scene
  PixelBox box;           // tight box of the pasted alpha (alpha >= 128)
};

struct Scene {
  uint64_t seed = 0;
  SceneCondition condition = SceneCondition::Invalid;
  RgbImage image;            // size x size
  std::vector<float> audio;  // the model's window (contract rate and length)
  std::vector<PlacedObject> objects;
  std::vector<uint8_t> sourceMask;  // size x size, 1 where a sounding object's alpha is opaque
  std::string audioSource;          // name of the object heard ("" for silence / noise)

  std::vector<PixelBox> sourceBoxes() const;
};

}  // namespace heardmap
