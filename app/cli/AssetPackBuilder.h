// Builds the benchmark asset pack from Debian-packaged assets: Tux Paint stamps (photo cut-outs
// with their sound effects; silent stamps become distractors) and background photographs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/data/AssetPack.h"

namespace heardmap {

struct PackSources {
  std::string stampRoot = "/usr/share/tuxpaint/stamps";
  // Folders searched (recursively) for background photographs; missing ones are skipped.
  std::vector<std::string> backgroundRoots = {"/usr/share/tuxpaint/templates",
                                              "/usr/share/wallpapers",
                                              "/usr/share/backgrounds/mate/nature"};
  int maxObjectSidePx = 160;
  int silentObjects = 100;  // distractors taken (evenly) from the silent stamps
};

struct PackReport {
  int soundingObjects = 0;
  int silentObjects = 0;
  int backgrounds = 0;
  int skipped = 0;
  std::vector<std::string> problems;  // files that could not be decoded
};

// Progress: (done, total).
AssetPack buildAssetPack(const PackSources& sources, PackReport& report,
                         const std::function<void(int, int)>& progress);

}  // namespace heardmap
