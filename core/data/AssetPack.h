// The benchmark's asset pack: object cut-outs (RGBA) with their sounds (16 kHz mono), silent
// distractor objects and background photographs, with fixed train/test splits. Stored as one
// safetensors file whose "pack" metadata holds the JSON item list (class, source file, licence).
#pragma once

#include <string>
#include <vector>

#include "RgbaImage.h"
#include "core/Json.h"
#include "core/RgbImage.h"

namespace heardmap {

enum class Split { Invalid = 0, Train, Test };

std::string splitName(Split split);
Split splitFromName(const std::string& name);

struct PackObject {
  std::string name;         // e.g. "dog"
  std::string category;     // e.g. "animals/mammals/dogs"
  std::string description;  // first line of the stamp's .txt, e.g. "A dog."
  std::string imageSource;  // file it was decoded from
  std::string soundSource;  // empty for silent distractors
  Split split = Split::Train;
  RgbaImage image;
  std::vector<float> sound;  // 16 kHz mono; empty for silent objects

  bool sounding() const { return !sound.empty(); }
};

struct PackBackground {
  std::string source;
  Split split = Split::Train;
  RgbImage image;
};

struct AssetPack {
  int soundRateHz = 16000;
  std::string licence;
  std::vector<PackObject> objects;
  std::vector<PackBackground> backgrounds;

  // Atomic save / load (throws SafetensorsError, FileError or JsonError with the reason).
  void save(const std::string& path) const;
  static AssetPack load(const std::string& path);

  // Indices of objects in split, sounding or silent.
  std::vector<int> objectsIn(Split split, bool sounding) const;
  std::vector<int> backgroundsIn(Split split) const;
};

}  // namespace heardmap
