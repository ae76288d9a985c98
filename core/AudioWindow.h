// Cuts the model's audio window out of a mono signal at the contract's rate.
#pragma once

#include <vector>

#include "PreprocessingContract.h"

namespace heardmap {

// Returns contract.windowSamples() samples around timeSeconds of signal (mono, contract rate).
// Centred: [t - W/2, t + W/2] shifted to stay inside the signal. Causal: [t - W, t], with silence
// (zeros) before the first sample. A signal shorter than the window is tiled (repeated), as the
// EZ-VSL loader does. An empty signal gives silence.
std::vector<float> cutAudioWindow(const std::vector<float>& signal, double timeSeconds,
                                  const PreprocessingContract& contract);

}  // namespace heardmap
