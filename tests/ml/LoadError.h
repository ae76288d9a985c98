// The message of a checkpoint that does not load, for the tests that check what it says.
#pragma once

#include <string>

#include "core/ml/LocalizationModel.h"

namespace heardmap::test {

// LocalizationModel::load's CheckpointError message, or "" when path loaded.
inline std::string loadError(const std::string& path, const LoadOptions& options = {}) {
  try {
    LocalizationModel::load(path, options);
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "";
}

}  // namespace heardmap::test
