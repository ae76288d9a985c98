// A dataset sample decoded: its frame (a still as the official loaders decode it, or a video's
// frame at its time) and its audio at each rate asked for, with the window's centre. Used by
// `heardmap eval` and `heardmap data shards`.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "DatasetReader.h"
#include "core/RgbImage.h"

namespace heardmap {

struct LoadedSample {
  RgbImage frame;
  std::map<int, std::vector<float>> audioByRateHz;  // whole file, mono, at each requested rate
  double audioCentreSeconds = 0.0;
};

// Throws MediaError (naming the file) for a file that does not decode, a time past its end or a
// file without audio.
LoadedSample loadSample(const EvalSample& sample, const std::set<int>& ratesHz);

}  // namespace heardmap
