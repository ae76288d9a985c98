// A picture of what a model hears: the log-power spectrogram of an audio window (the model's own
// front-end), min-max scaled through the Inferno colormap, low frequencies at the bottom.
#pragma once

#include <QImage>
#include <vector>

#include "core/PreprocessingContract.h"

namespace heardmap {

// Width = time frames, height = frequency bins; a null image for a window too short for a frame.
QImage spectrogramImage(const std::vector<float>& window, const PreprocessingContract& contract);

}  // namespace heardmap
