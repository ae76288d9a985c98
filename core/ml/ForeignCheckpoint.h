// Checkpoints that do not say what they are (a PyTorch .pth, a safetensors without Heardmap's
// metadata block): the network comes from the tensor names (core/Methods.h), the method from the
// user where the names do not tell it, and the weights are made ready to load. Torch-free.
#pragma once

#include <string>

#include "CheckpointInfo.h"
#include "core/TensorData.h"

namespace heardmap {

// How to read a checkpoint whose file does not say (a PyTorch .pth, a safetensors without
// Heardmap's metadata block).
struct LoadOptions {
  // A row of core/Methods.h for a file of EZ-VSL-family names, which every such method shares;
  // empty: EZ-VSL, and the model's source line says so. Files of another architecture (SLAVC's
  // two heads) are recognised by their names, and a method that contradicts them is an error.
  std::string method;
  // SLAVC: take the weights of the momentum_* copies (the official --use_mom_eval).
  bool momentumBranch = false;
};

// Whether weights are torchvision ResNet keys ("conv1.weight", "layer1.0...", "fc.weight") with
// no model prefix: pretrained backbone weights for the visual trunk.
bool isTorchvisionResnet(const StateDict& weights);

// The model of such a file: network and widths from the names and shapes, method from options
// (default: the network's first method), that method's contract, and weights made ready for
// LocalizationModel::loadWeights (momentum branch chosen, AVENet names converted). held says what
// the file holds, for the source line. Throws CheckpointError naming path.
CheckpointInfo foreignCheckpoint(StateDict& weights, const std::string& path,
                                 const LoadOptions& options, const std::string& held);

}  // namespace heardmap
