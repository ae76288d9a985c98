// libFuzzer target: the safetensors reader and the checkpoint metadata it carries (model config,
// preprocessing contract, training record), as a checkpoint load reads them.
#include <cstdint>
#include <exception>
#include <string>

#include "core/Safetensors.h"
#include "core/Spectrogram.h"
#include "core/ml/CheckpointInfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const heardmap::SafetensorsFile file = heardmap::parseSafetensors(bytes);
    for (const auto& [name, tensor] : file.tensors) {
      (void)tensor.toFloat();
    }
    if (file.metadata.count("format") != 0) {
      const heardmap::CheckpointInfo info = heardmap::CheckpointInfo::fromMetadata(file.metadata);
      const heardmap::Spectrogram spectrogram(info.contract);  // what a load builds next
      (void)info.provenance();
    }
  } catch (const std::exception&) {
    // A clear error is the right answer to a bad file.
  }
  return 0;
}
