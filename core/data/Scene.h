// One synthetic benchmark sample: a picture, the audio window heard with it, and where (if
// anywhere) the sound comes from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/RgbImage.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/eval/GroundTruth.h"
#include "core/eval/SampleCondition.h"

namespace heardmap {

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

// What the benchmark scores a scene against: its sounding objects' union (and each one alone for
// multi-source scenes) on the evaluation grid.
EvalTarget evalTargetOf(const Scene& scene);

}  // namespace heardmap
