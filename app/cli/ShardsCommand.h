// heardmap data shards: a dataset in any layout `heardmap eval` reads, decoded once into training
// shards (core/data/Shards.h) that the trainer reads without FFmpeg. Resumable: a killed run
// continues after its last finished shard; unreadable samples are counted, listed and skipped.
#pragma once

#include <string>

#include "DatasetReader.h"

namespace heardmap {

struct ShardsOptions {
  std::string data;                               // the dataset folder
  DatasetFormat format = DatasetFormat::Invalid;  // Invalid = detected (or pairs, see below)
  // Training pairs, the official training layout: frames/<id>.jpg + audio/<id>.wav for each id
  // of this list file (one per line, as EZ-VSL's metadata/vggss_144k.txt), or, with pairs set
  // and no list, for every frame that has its wav. No annotations needed.
  std::string listPath;
  bool pairs = false;
  std::string out;  // the shards' folder
  int sizePx = 224;
  int samplesPerShard = 1024;
  double audioSeconds = 4.0;  // per sample: the 3 s window and room for jitter
  // Samples per video entry without an annotated time (a folder of videos, videos of a layout):
  // frames evenly spaced over the clip, each with the audio around it. Stills give one each.
  int framesPerClip = 1;
  int threads = 1;  // samples decoded at once (each its own FFmpeg / libjpeg decoder)
};

// Returns the exit status (0: every shard written, failed samples listed; 1: nothing usable).
// Throws std::runtime_error for a folder that is not a dataset or shards of another layout.
int writeShards(const ShardsOptions& options);

}  // namespace heardmap
