// Whether a model hears the muted-microphone probe as silence: a microphone's self-noise
// (kMutedMicRms, -66 dBFS) lies far below the floor of the EZ-VSL family's spectrogram
// (log(P + 1e-7): white noise reaches it only at about -31 dBFS), so those models' input is the
// same as for digital silence to a few 1e-5; a front-end that rescales the window first (the
// official SSPL's min-max scaling) hears it as loud noise. The views say which.
#pragma once

#include "PreprocessingContract.h"

namespace heardmap {

// Largest difference of the model's input (log spectrogram or log-mel examples) between the
// muted-mic probe and silence that still counts as the same input.
constexpr double kSameInputTolerance = 1e-3;

// Whether contract's front-end gives the muted-mic probe the input it gives silence (within
// kSameInputTolerance). Computed once per contract; thread-safe.
bool hearsMutedMicAsSilence(const PreprocessingContract& contract);

}  // namespace heardmap
