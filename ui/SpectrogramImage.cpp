#include "SpectrogramImage.h"

#include <algorithm>

#include "core/Colormap.h"
#include "core/Spectrogram.h"

namespace heardmap {

QImage spectrogramImage(const std::vector<float>& window, const PreprocessingContract& contract) {
  const Spectrogram spectrogram(contract);
  const int bins = contract.frequencyBins();
  const int frames = spectrogram.framesFor(window.size());
  if (bins <= 0 || frames <= 0) {
    return {};
  }
  const std::vector<float> values = spectrogram.compute(window);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const float range = std::max(1e-6f, *hi - *lo);
  const std::vector<float> table = colormapTable(ColormapId::Inferno);
  QImage image(frames, bins, QImage::Format_RGB32);
  for (int f = 0; f < bins; ++f) {
    auto* row = reinterpret_cast<QRgb*>(image.scanLine(bins - 1 - f));  // low frequencies down
    for (int x = 0; x < frames; ++x) {
      const float v = (values[static_cast<size_t>(f) * frames + x] - *lo) / range;
      const int c = std::clamp(static_cast<int>(v * (kColormapSize - 1)), 0, kColormapSize - 1);
      row[x] = qRgb(static_cast<int>(table[c * 3] * 255), static_cast<int>(table[c * 3 + 1] * 255),
                    static_cast<int>(table[c * 3 + 2] * 255));
    }
  }
  return image;
}

}  // namespace heardmap
