// Every random choice of one synthetic scene, drawn before any pixel or sample is made: which
// background and crop, which objects where, which sounds when and how loud, how much noise.
// SceneSynthesizer renders a plan on the CPU; the trainer renders batches of plans on its device
// (trainer/DeviceSceneBatcher), so both make the same scenes from the same seeds.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "Scene.h"

namespace heardmap {

// One object cut-out pasted on the canvas.
struct ObjectPlacement {
  int objectIndex = -1;  // into AssetPack::objects
  int sidePx = 0;        // its longest side on the canvas
  int left = 0;          // top-left corner on the canvas, px
  int top = 0;
  bool flip = false;      // mirrored left-right
  bool sounding = false;  // makes the sound heard in this scene
};

// One object's sound, peak-normalised and scaled, repeated from each start until the window ends.
struct SoundPlacement {
  int objectIndex = -1;               // into AssetPack::objects
  double scale = 0.0;                 // gain / peak of the sound
  std::vector<int64_t> startSamples;  // ascending; repeats never overlap
};

struct ScenePlan {
  uint64_t seed = 0;
  SceneCondition condition = SceneCondition::Invalid;
  int imageSize = 0;      // canvas side, px
  int windowSamples = 0;  // audio window length
  // Background: a square crop (side cropSidePx at cropLeftPx, cropTopPx) of this photograph.
  int backgroundIndex = -1;  // into AssetPack::backgrounds
  int cropSidePx = 0;
  double cropLeftPx = 0.0;
  double cropTopPx = 0.0;
  bool flipBackground = false;
  std::vector<ObjectPlacement> objects;  // in drawing order (distractors first)
  std::vector<SoundPlacement> sounds;
  double noiseSigma = 0.0;  // white Gaussian noise added to the window (ambience or the condition)
  std::string audioSource;  // name of the object heard ("" for silence / noise)
  // The generator after every draw above: the CPU renderer draws its Gaussian noise from it.
  std::mt19937_64 noiseRng;
};

}  // namespace heardmap
