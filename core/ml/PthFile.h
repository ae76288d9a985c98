// PyTorch .pth / .pt files (torch.save zip format) as torch-free state dicts, via LibTorch's
// unpickler. Reads plain state dicts, {"model": ...} / {"state_dict": ...} training checkpoints and
// DataParallel/DDP "module." prefixes.
#pragma once

#include <string>

#include "../TensorData.h"

namespace heardmap {

// Reads the tensors of a state dict. Throws CheckpointError (not a zip/pickle, no tensors, ...).
StateDict readPthStateDict(const std::string& path);
// Writes tensors as a state dict that torch.load (Python) and readPthStateDict read back.
void writePthStateDict(const std::string& path, const StateDict& tensors);

}  // namespace heardmap
