#include "OverlaySettings.h"

#include <cmath>
#include <cstdio>

namespace heardmap {

std::string colormapName(ColormapId id) {
  switch (id) {
    case ColormapId::Jet:
      return "jet";
    case ColormapId::Viridis:
      return "viridis";
    case ColormapId::Inferno:
      return "inferno";
    case ColormapId::Gray:
      return "gray";
    case ColormapId::Invalid:
      break;
  }
  return "invalid";
}

ColormapId colormapFromName(const std::string& name) {
  for (ColormapId id :
       {ColormapId::Jet, ColormapId::Viridis, ColormapId::Inferno, ColormapId::Gray}) {
    if (colormapName(id) == name) {
      return id;
    }
  }
  return ColormapId::Invalid;
}

std::string normalizationName(NormalizationMode mode) {
  switch (mode) {
    case NormalizationMode::PerFrameMinMax:
      return "minmax";
    case NormalizationMode::AbsoluteThreshold:
      return "absolute";
    case NormalizationMode::RunningRange:
      return "running";
    case NormalizationMode::Invalid:
      break;
  }
  return "invalid";
}

NormalizationMode normalizationFromName(const std::string& name) {
  for (NormalizationMode mode :
       {NormalizationMode::PerFrameMinMax, NormalizationMode::AbsoluteThreshold,
        NormalizationMode::RunningRange}) {
    if (normalizationName(mode) == name) {
      return mode;
    }
  }
  return NormalizationMode::Invalid;
}

Json overlayJson(const OverlaySettings& settings) {
  Json j(Json::Object{});
  j["colormap"] = Json(colormapName(settings.colormap));
  j["opacity"] = Json(static_cast<double>(settings.opacity));
  j["normalization"] = Json(normalizationName(settings.normalization));
  j["threshold"] = Json(static_cast<double>(settings.threshold));
  j["persistence_ms"] = Json(settings.persistenceMs);
  j["peak_crosshair"] = Json(settings.peakCrosshair);
  return j;
}

std::string overlaySummary(const OverlaySettings& settings) {
  char text[160];
  const char* mode = settings.normalization == NormalizationMode::AbsoluteThreshold ? "absolute"
                     : settings.normalization == NormalizationMode::RunningRange ? "running range"
                                                                                 : "min-max";
  int n = std::snprintf(text, sizeof text, "%s %d %%, %s", colormapName(settings.colormap).c_str(),
                        static_cast<int>(std::lround(settings.opacity * 100.0f)), mode);
  if (settings.normalization == NormalizationMode::AbsoluteThreshold) {
    n += std::snprintf(text + n, sizeof text - static_cast<size_t>(n), " >= %.2f",
                       static_cast<double>(settings.threshold));
  }
  if (settings.persistenceMs > 0.0) {
    std::snprintf(text + n, sizeof text - static_cast<size_t>(n), ", EMA %.0f ms",
                  settings.persistenceMs);
  }
  return text;
}

}  // namespace heardmap
