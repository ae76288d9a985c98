// What a method expects of its inputs: audio rate, window length and placement, spectrogram
// parameters, image size and normalization. Stored in every checkpoint and shown in the UI.
#pragma once

#include <array>
#include <string>

#include "Json.h"

namespace heardmap {

// Where the audio window sits relative to the frame time.
enum class WindowPlacement {
  Invalid = 0,
  Centred,  // [t - W/2, t + W/2]: files (the training convention of the EZ-VSL family)
  Causal,   // [t - W, t]: live input, where only past audio exists
};

std::string placementName(WindowPlacement placement);
WindowPlacement placementFromName(const std::string& name);

struct PreprocessingContract {
  int sampleRateHz = 16000;
  double windowSeconds = 3.0;
  WindowPlacement placement = WindowPlacement::Centred;
  int segmentSamples = 512;  // scipy nperseg
  int overlapSamples = 274;  // scipy noverlap -> hop 238
  int fftSize = 512;
  double tukeyAlpha = 0.25;
  double logOffset = 1e-7;       // log(P + logOffset)
  double spectrogramStd = 12.0;  // Normalize(mean 0, std 12)
  int imageSize = 224;
  std::array<float, 3> imageMean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> imageStd{0.229f, 0.224f, 0.225f};
  std::string imageResize = "bicubic";
  // Audio front-end: "spectrogram" (scipy's power spectrogram above, the EZ-VSL family and LVS)
  // or "vggish" (VGGish's log-mel examples, 96 frames x 64 bands per 0.96 s: the official SSPL;
  // core/VggishLogMel.h; the spectrogram fields above are then unused).
  std::string audioFrontend = "spectrogram";
  // What the window's samples go through first: "none", or "min-max" (SSPL's normalize_audio:
  // shifted and scaled so that min -> -1 and max -> 1 - 2e-3 / (max - min + 1e-3) ~ 1).
  std::string waveformScaling = "none";
  // How evaluation crops a still before resizing: "none" (Resize((S, S)), the EZ-VSL family) or
  // "centre" (Resize(S) on the short side, then CenterCrop(S): the LVS and SSPL test loaders).
  // The player and render always show the model the whole picture, so that its map lies over it.
  std::string imageCrop = "none";

  int hopSamples() const { return segmentSamples - overlapSamples; }
  int windowSamples() const;
  int frequencyBins() const { return fftSize / 2 + 1; }
  int timeFrames() const;

  // The EZ-VSL family's contract (EZ-VSL, FNAC, SLAVC, MarginNCE).
  static PreprocessingContract ezvsl();
  // The official SSPL test loader's: 16 kHz, 3 s, min-max scaled waveform, VGGish log-mel,
  // short-side resize + centre crop to 224.
  static PreprocessingContract ssplVggish();
  bool usesVggish() const { return audioFrontend == "vggish"; }

  Json toJson() const;
  // Whether name is an imageResize value the inference path implements ("bicubic").
  static bool isImageResize(const std::string& name);

  // Throws JsonError on missing or out-of-range fields; the message names the field.
  static PreprocessingContract fromJson(const Json& json);
  // One line for the UI and logs.
  std::string summary() const;
};

}  // namespace heardmap
