// The Adam moments of a checkpoint, saved so that checkpoint and moments are one unit: each save
// writes the moments to a file named by its step ("MODEL.optimizer-000000120.pt"), then the
// checkpoint, which records that file's name and checksum and whose atomic rename is the commit.
// Only after it are older moment files removed, so a kill at any point leaves a checkpoint whose
// recorded moments exist and match. Torch-free: moments are passed as bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/Json.h"

namespace heardmap {

// The moments file of checkpointPath at step.
std::string momentsPathFor(const std::string& checkpointPath, int64_t step);
// The file of moments written by earlier versions ("MODEL.optimizer.pt", without a checksum).
std::string legacyMomentsPath(const std::string& checkpointPath);
// FNV-1a 64-bit checksum of bytes, as 16 hex digits.
std::string momentsChecksum(const std::string& bytes);

// Writes moments (atomically) for the save at step and adds "optimizer_state" (file name) and
// "optimizer_state_checksum" to training, the record of the checkpoint about to be written.
void writeMomentsFor(const std::string& checkpointPath, int64_t step, const std::string& moments,
                     Json& training);
// After the checkpoint is written: removes every moments file of checkpointPath but the one its
// record names (older steps, a killed save's newer one, the legacy file). Returns how many.
int removeOtherMoments(const std::string& checkpointPath, const Json& training);

// The moments file a checkpoint's training record names (the legacy file when it names none).
std::string recordedMomentsPath(const std::string& checkpointPath, const Json& training);

// The moments a resumed checkpoint recorded, verified against its checksum; nullopt (with a note
// through `note`) when the recorded file is gone, so the moments restart. Throws
// std::runtime_error when the file's bytes do not match the record (changed or damaged).
std::optional<std::string> readMomentsFor(const std::string& checkpointPath, const Json& training,
                                          const std::function<void(const std::string&)>& note);

}  // namespace heardmap
