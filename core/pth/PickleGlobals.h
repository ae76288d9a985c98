// The allow-list of pickle globals and what calling each one builds. Nothing here runs Python code:
// each allowed global is a recipe that turns its arguments into a plain value (a tensor view of a
// storage, an ordered dict, a number from a numpy scalar, an opaque object for the rest).
#pragma once

#include <string>
#include <vector>

#include "Unpickler.h"

namespace heardmap {

// Spells older module names the current way ("__builtin__.set" -> "builtins.set",
// "numpy._core.multiarray.scalar" -> "numpy.core.multiarray.scalar").
std::string normalizeGlobal(const std::string& qualifiedName);
// Whether a global may appear in a file at all (as a value or as something to call).
bool isAllowedGlobal(const std::string& qualifiedName);
// The value that calling global name with args builds (REDUCE, NEWOBJ). Throws PickleError for a
// global that is allowed only as a value (a storage type) or for arguments of the wrong shape.
PickleId applyGlobal(Unpickler& unpickler, const std::string& name,
                     const std::vector<PickleId>& args);
// Element size and heardmap name of a torch storage type ("FloatStorage" -> 4, "F32"); size 0 for
// types with no counterpart (complex, quantized).
struct StorageType {
  std::string dtypeName;  // safetensors spelling, "" when unsupported
  int elementBytes = 0;
};
StorageType storageTypeOf(const std::string& qualifiedName);

}  // namespace heardmap
