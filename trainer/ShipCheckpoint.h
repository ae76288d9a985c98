// Converts a trained checkpoint to the shipped form (what --ship writes at the end of a run): fp16,
// without the training-only heads, the metadata kept and the conversion recorded; optionally with
// a fresh test-split table of the shipped weights.
#pragma once

#include <cstdint>
#include <string>

namespace heardmap {

struct ShipOptions {
  std::string packPath;      // asset pack for the test split (needed when evalPerCondition > 0)
  int evalPerCondition = 0;  // > 0: re-evaluate the fp16 weights and replace the metrics
};

// Reads inputPath (a Heardmap checkpoint or a .pth the loader takes) and writes outputPath
// atomically; inputPath may equal outputPath. Throws CheckpointError / std::runtime_error with the
// file named (unreadable input or pack, disk errors). Returns the bytes written.
uintmax_t shipCheckpoint(const std::string& inputPath, const std::string& outputPath,
                         const ShipOptions& options = {});

}  // namespace heardmap
