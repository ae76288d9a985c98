// What a checkpoint says about itself: the JSON metadata block of a Heardmap safetensors file.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include "ModelConfig.h"
#include "core/Json.h"
#include "core/PreprocessingContract.h"

namespace heardmap {

// Thrown for unreadable, truncated or mismatched weights; the message names file and tensor.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CheckpointInfo {
  ModelConfig config;
  PreprocessingContract contract;
  bool trained = false;  // false: random initialization ("untrained" in the UI)
  std::string source;    // file it came from, or "untrained (seed N)"
  Json training;         // training config and provenance (steps, device, wall time)
  Json metrics;          // evaluation table

  // Encodes into / decodes from safetensors "__metadata__" (string values holding JSON).
  std::map<std::string, std::string> toMetadata() const;
  static CheckpointInfo fromMetadata(const std::map<std::string, std::string>& metadata);
  // e.g. "ezvsl compact (untrained)".
  std::string displayName() const;
  // Where the weights come from, from the training and metrics records, e.g. "trained 2400 steps
  // on cpu (2 threads) in 24 min; test split (50 scenes per condition): cIoU@0.5 8.0, AUC 22.1";
  // "trained" when the file records neither, "untrained" for random weights.
  std::string provenance() const;
};

}  // namespace heardmap
