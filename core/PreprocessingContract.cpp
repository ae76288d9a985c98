#include "PreprocessingContract.h"

#include <cmath>
#include <cstdio>

namespace heardmap {

std::string placementName(WindowPlacement placement) {
  switch (placement) {
    case WindowPlacement::Centred:
      return "centred";
    case WindowPlacement::Causal:
      return "causal";
    case WindowPlacement::Invalid:
      break;
  }
  return "invalid";
}

WindowPlacement placementFromName(const std::string& name) {
  if (name == "centred" || name == "centered") {
    return WindowPlacement::Centred;
  }
  if (name == "causal") {
    return WindowPlacement::Causal;
  }
  return WindowPlacement::Invalid;
}

int PreprocessingContract::windowSamples() const {
  return static_cast<int>(std::lround(windowSeconds * sampleRateHz));
}

int PreprocessingContract::timeFrames() const {
  const int n = windowSamples();
  return n < segmentSamples ? 0 : 1 + (n - segmentSamples) / hopSamples();
}

PreprocessingContract PreprocessingContract::ezvsl() {
  return PreprocessingContract{};
}

Json PreprocessingContract::toJson() const {
  Json j(Json::Object{});
  j["sample_rate_hz"] = Json(sampleRateHz);
  j["window_seconds"] = Json(windowSeconds);
  j["placement"] = Json(placementName(placement));
  j["segment_samples"] = Json(segmentSamples);
  j["overlap_samples"] = Json(overlapSamples);
  j["fft_size"] = Json(fftSize);
  j["window"] = Json("tukey");
  j["tukey_alpha"] = Json(tukeyAlpha);
  j["scaling"] = Json("density");
  j["detrend"] = Json("constant");
  j["log_offset"] = Json(logOffset);
  j["spectrogram_std"] = Json(spectrogramStd);
  j["image_size"] = Json(imageSize);
  j["image_resize"] = Json(imageResize);
  j["image_mean"] = Json(Json::Array{Json(imageMean[0]), Json(imageMean[1]), Json(imageMean[2])});
  j["image_std"] = Json(Json::Array{Json(imageStd[0]), Json(imageStd[1]), Json(imageStd[2])});
  return j;
}

PreprocessingContract PreprocessingContract::fromJson(const Json& j) {
  PreprocessingContract c;
  c.sampleRateHz = static_cast<int>(j.at("sample_rate_hz").asInt());
  c.windowSeconds = j.at("window_seconds").asNumber();
  c.placement = placementFromName(j.at("placement").asString());
  c.segmentSamples = static_cast<int>(j.at("segment_samples").asInt());
  c.overlapSamples = static_cast<int>(j.at("overlap_samples").asInt());
  c.fftSize = static_cast<int>(j.at("fft_size").asInt());
  c.tukeyAlpha = j.at("tukey_alpha").asNumber();
  c.logOffset = j.at("log_offset").asNumber();
  c.spectrogramStd = j.at("spectrogram_std").asNumber();
  c.imageSize = static_cast<int>(j.at("image_size").asInt());
  c.imageResize = j.stringOr("image_resize", "bicubic");
  for (int i = 0; i < 3; ++i) {
    c.imageMean[static_cast<size_t>(i)] =
        static_cast<float>(j.at("image_mean").asArray().at(static_cast<size_t>(i)).asNumber());
    c.imageStd[static_cast<size_t>(i)] =
        static_cast<float>(j.at("image_std").asArray().at(static_cast<size_t>(i)).asNumber());
  }
  const bool fftIsPowerOfTwo = c.fftSize > 0 && (c.fftSize & (c.fftSize - 1)) == 0;
  if (c.sampleRateHz < 1000 || c.windowSeconds <= 0 || c.placement == WindowPlacement::Invalid ||
      c.segmentSamples <= c.overlapSamples || c.overlapSamples < 0 || !fftIsPowerOfTwo ||
      c.fftSize < c.segmentSamples || c.imageSize < 32 || c.spectrogramStd <= 0 ||
      c.timeFrames() < 1) {
    throw JsonError("preprocessing contract has out-of-range values: " + j.dump());
  }
  return c;
}

std::string PreprocessingContract::summary() const {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer),
                "%d Hz, %.2f s %s window, spectrogram %dx%d (seg %d, hop %d, tukey %.2f), image "
                "%dx%d %s",
                sampleRateHz, windowSeconds, placementName(placement).c_str(), frequencyBins(),
                timeFrames(), segmentSamples, hopSamples(), tukeyAlpha, imageSize, imageSize,
                imageResize.c_str());
  return buffer;
}

}  // namespace heardmap
