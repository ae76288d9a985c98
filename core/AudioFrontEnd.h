// A model's audio input for one window, as its contract says: scipy's log spectrogram
// (core/Spectrogram, 1 x 1 x F x T) or VGGish's log-mel examples (core/VggishLogMel,
// E x 1 x 96 x 64). One place that picks the front-end, for inference and for the probe checks.
// Torch-free.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "PreprocessingContract.h"
#include "Spectrogram.h"
#include "VggishLogMel.h"

namespace heardmap {

class AudioFrontEnd {
 public:
  explicit AudioFrontEnd(const PreprocessingContract& contract);

  // The input values, row-major; *shape receives the network input's four dimensions. A VGGish
  // window under 0.96 s has no example: empty values, shape[0] = 0.
  std::vector<float> compute(const std::vector<float>& window, std::vector<int64_t>* shape) const;

 private:
  Spectrogram spectrogram_;
  std::optional<VggishLogMel> vggish_;  // when the contract asks for it
};

}  // namespace heardmap
