#include "OverlaySettings.h"

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

}  // namespace heardmap
