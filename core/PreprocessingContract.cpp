#include "PreprocessingContract.h"

#include <algorithm>
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
  if (usesVggish()) {
    return n < 400 ? 0 : 1 + (n - 400) / 160;  // VGGish's 25 ms frames every 10 ms
  }
  return n < segmentSamples ? 0 : 1 + (n - segmentSamples) / hopSamples();
}

PreprocessingContract PreprocessingContract::ezvsl() {
  return PreprocessingContract{};
}

PreprocessingContract PreprocessingContract::ssplVggish() {
  PreprocessingContract c;
  c.audioFrontend = "vggish";
  c.waveformScaling = "min-max";
  c.imageCrop = "centre";
  return c;
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
  j["audio_frontend"] = Json(audioFrontend);
  j["waveform_scaling"] = Json(waveformScaling);
  j["image_crop"] = Json(imageCrop);
  return j;
}

namespace {

// Upper bounds of the contract's fields: far beyond any published method, low enough that a
// corrupt value cannot ask for gigabytes of spectrogram or picture.
constexpr int kMaxSampleRateHz = 384000;    // highest common audio interface rate
constexpr double kMaxWindowSeconds = 60.0;  // a minute of audio per map
constexpr int kMaxFftSize = 1 << 16;        // 65,536-point FFT
constexpr int kMaxImageSizePx = 1024;       // model input side
constexpr int kMinImageSizePx = 32;         // ResNet-18 needs 32 px for a 1x1 map

[[noreturn]] void badField(const std::string& field, const std::string& why) {
  throw JsonError("'" + field + "' " + why);
}

int boundedInt(const Json& j, const std::string& field, int low, int high) {
  return static_cast<int>(j.intAt(field, low, high));
}

}  // namespace

bool PreprocessingContract::isImageResize(const std::string& name) {
  return name == "bicubic";  // the only resize the inference path implements
}

namespace {

PreprocessingContract parseContract(const Json& j) {
  PreprocessingContract c;
  c.sampleRateHz = boundedInt(j, "sample_rate_hz", 1000, kMaxSampleRateHz);
  c.windowSeconds = j.finiteAt("window_seconds");
  if (c.windowSeconds <= 0 || c.windowSeconds > kMaxWindowSeconds) {
    badField("window_seconds", "must be in (0, " + std::to_string(kMaxWindowSeconds).substr(0, 4) +
                                   "] s, not " + j.at("window_seconds").dump());
  }
  c.placement = placementFromName(j.at("placement").asString());
  if (c.placement == WindowPlacement::Invalid) {
    badField("placement", "must be centred or causal, not " + j.at("placement").dump());
  }
  c.fftSize = boundedInt(j, "fft_size", 2, kMaxFftSize);
  if ((c.fftSize & (c.fftSize - 1)) != 0) {
    badField("fft_size", "must be a power of two, not " + std::to_string(c.fftSize));
  }
  c.segmentSamples = boundedInt(j, "segment_samples", 2, c.fftSize);
  c.overlapSamples = boundedInt(j, "overlap_samples", 0, c.segmentSamples - 1);
  if (j.contains("window") && j.at("window").asString() != "tukey") {
    badField("window", "must be tukey, not " + j.at("window").dump());
  }
  c.tukeyAlpha = j.finiteAt("tukey_alpha");
  if (c.tukeyAlpha < 0.0 || c.tukeyAlpha > 1.0) {
    badField("tukey_alpha", "must be in [0, 1], not " + j.at("tukey_alpha").dump());
  }
  if (j.contains("scaling") && j.at("scaling").asString() != "density") {
    badField("scaling", "must be density, not " + j.at("scaling").dump());
  }
  if (j.contains("detrend") && j.at("detrend").asString() != "constant") {
    badField("detrend", "must be constant, not " + j.at("detrend").dump());
  }
  c.logOffset = j.finiteAt("log_offset");
  if (c.logOffset <= 0.0) {
    badField("log_offset", "must be > 0 (log(P + offset)), not " + j.at("log_offset").dump());
  }
  c.spectrogramStd = j.finiteAt("spectrogram_std");
  if (c.spectrogramStd <= 0.0) {
    badField("spectrogram_std", "must be > 0, not " + j.at("spectrogram_std").dump());
  }
  c.imageSize = boundedInt(j, "image_size", kMinImageSizePx, kMaxImageSizePx);
  c.imageResize = j.stringOr("image_resize", "bicubic");
  if (!PreprocessingContract::isImageResize(c.imageResize)) {
    badField("image_resize",
             "must be bicubic (the only resize implemented), not " + j.at("image_resize").dump());
  }
  // Absent in checkpoints written before these fields: the EZ-VSL family's values.
  c.audioFrontend = j.stringOr("audio_frontend", "spectrogram");
  if (c.audioFrontend != "spectrogram" && c.audioFrontend != "vggish") {
    badField("audio_frontend",
             "must be spectrogram or vggish, not " + j.at("audio_frontend").dump());
  }
  c.waveformScaling = j.stringOr("waveform_scaling", "none");
  if (c.waveformScaling != "none" && c.waveformScaling != "min-max") {
    badField("waveform_scaling", "must be none or min-max, not " + j.at("waveform_scaling").dump());
  }
  c.imageCrop = j.stringOr("image_crop", "none");
  if (c.imageCrop != "none" && c.imageCrop != "centre") {
    badField("image_crop", "must be none or centre, not " + j.at("image_crop").dump());
  }
  for (const char* field : {"image_mean", "image_std"}) {
    const Json::Array& values = j.at(field).asArray();
    if (values.size() != 3) {
      badField(field, "must hold 3 numbers (R, G, B), not " + std::to_string(values.size()));
    }
    for (size_t i = 0; i < 3; ++i) {
      const double v = values[i].asNumber();
      const bool isStd = std::string(field) == "image_std";
      if (!std::isfinite(v) || std::fabs(v) > 1e6 || (isStd && v <= 0.0)) {
        badField(field, std::string("[") + std::to_string(i) + "] must be a finite number" +
                            (isStd ? " > 0" : "") + ", not " + values[i].dump());
      }
      (isStd ? c.imageStd : c.imageMean)[i] = static_cast<float>(v);
    }
  }
  if (c.timeFrames() < 1) {
    badField("window_seconds", "gives no spectrogram frame at " + std::to_string(c.sampleRateHz) +
                                   " Hz with segment_samples " + std::to_string(c.segmentSamples));
  }
  return c;
}

}  // namespace

PreprocessingContract PreprocessingContract::fromJson(const Json& json) {
  // Every message names its block: the field helpers name only the field.
  try {
    return parseContract(json);
  } catch (const JsonError& e) {
    throw JsonError(std::string("preprocessing contract: ") + e.what());
  }
}

std::string PreprocessingContract::summary() const {
  char buffer[320];
  if (usesVggish()) {
    std::snprintf(buffer, sizeof(buffer),
                  "%d Hz, %.2f s %s window%s, VGGish log-mel %d x 96 x 64, image %dx%d %s%s",
                  sampleRateHz, windowSeconds, placementName(placement).c_str(),
                  waveformScaling == "min-max" ? " scaled to [-1, 1]" : "",
                  std::max(0, (timeFrames() - 96) / 96 + 1), imageSize, imageSize,
                  imageResize.c_str(), imageCrop == "centre" ? " (centre crop in eval)" : "");
    return buffer;
  }
  std::snprintf(buffer, sizeof(buffer),
                "%d Hz, %.2f s %s window, spectrogram %dx%d (seg %d, hop %d, tukey %.2f), image "
                "%dx%d %s",
                sampleRateHz, windowSeconds, placementName(placement).c_str(), frequencyBins(),
                timeFrames(), segmentSamples, hopSamples(), tukeyAlpha, imageSize, imageSize,
                imageResize.c_str());
  return imageCrop == "centre" ? std::string(buffer) + " (centre crop in eval)" : buffer;
}

}  // namespace heardmap
