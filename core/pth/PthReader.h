// PyTorch .pth / .pt / .pth.tar files as torch-free state dicts, read by the project's own bounded
// pickle interpreter (no LibTorch, no Python): the zip format of torch >= 1.6 and the legacy format
// (torch < 1.6, or _use_new_zipfile_serialization=False). Finds the weights in the layouts training
// scripts save ({"model": ...}, {"state_dict": ...}, {"model_state_dict": ...}, a bare state dict),
// removes DataParallel's "module." and torch.compile's "_orig_mod." prefixes, and checks every
// storage record, view and CRC before a byte is used.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/TensorData.h"

namespace heardmap {

// Thrown for unreadable, damaged or refused files; the message names the file and what is wrong.
class PthError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PthContents {
  StateDict tensors;                      // the weights, wrapper prefixes removed
  std::string format;                     // "zip" or "legacy"
  std::string weightsKey;                 // top-level key of the weights; "" for a bare state dict
  std::vector<std::string> topLevelKeys;  // keys of a top-level dict, in file order
  std::string strippedPrefix;             // "module.", "_orig_mod.", both, or ""
  std::vector<std::string> skipped;       // tensors left out, each with the reason
  int parameterCount = 0;                 // tensors saved as nn.Parameter (not from state_dict())

  // One line for the user, e.g. "zip .pth, weights under 'model' (of model, optimizer, epoch),
  // 'module.' removed, 122 tensors".
  std::string summary() const;
};

// Parses an in-memory file. Throws PthError.
PthContents parsePth(std::string_view bytes);
// Reads a file (regular files only); messages start with the path.
PthContents readPth(const std::string& path);

}  // namespace heardmap
