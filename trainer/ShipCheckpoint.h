// Converts a trained checkpoint to the shipped form (what --ship writes at the end of a run): fp16,
// without the training-only heads, the metadata kept and the conversion recorded.
#pragma once

#include <cstdint>
#include <string>

namespace heardmap {

// Reads inputPath (a Heardmap checkpoint or a .pth the loader takes) and writes outputPath
// atomically; inputPath may equal outputPath. Throws CheckpointError / std::runtime_error with the
// file named (unreadable input, disk errors). Returns the bytes written.
uintmax_t shipCheckpoint(const std::string& inputPath, const std::string& outputPath);

}  // namespace heardmap
