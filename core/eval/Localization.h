// Localisation metrics exactly as the EZ-VSL / FNAC / SLAVC / LVS / SSPL evaluation code computes
// them: upsample (bilinear, corners aligned), min-max normalise, binarise, cIoU per sample, then
// success rate at 0.5 and the area under the success curve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

// How a heatmap becomes a binary prediction.
enum class PredictionRule {
  Invalid = 0,
  RelativeMedian,  // EZ-VSL/FNAC/SLAVC "relative prediction": map >= sorted(map)[N/2] (top ~50 %)
  AbsoluteHalf,    // SSPL / original cIoU: min-max normalised map >= 0.5
  AdaptiveTopK,    // SSL-Align/ICASSP'25: the K highest pixels, K = non-zero ground-truth pixels
};

// torch's interpolate(mode=bilinear, align_corners=True) of a row-major w x h map.
std::vector<float> upsampleAlignCorners(const std::vector<float>& map, int width, int height,
                                        int outWidth, int outHeight);
// (v - min) / (max - min) in place; a flat map becomes all zeros.
void minMaxNormalize(std::vector<float>& map);
// 1 where predicted. groundTruth is needed for AdaptiveTopK only.
std::vector<uint8_t> binarize(const std::vector<float>& map, PredictionRule rule,
                              const std::vector<float>& groundTruth);
// cIoU = sum(P * G) / (sum(G) + sum(P * [G == 0])).
double consensusIoU(const std::vector<uint8_t>& prediction, const std::vector<float>& groundTruth);

// Success rate over cIoU thresholds 0, 0.05, ..., 1 and its trapezoidal area (sklearn auc).
struct SuccessCurve {
  std::vector<double> thresholds;
  std::vector<double> rates;  // fraction of samples with cIoU >= threshold
  double successAt50 = 0.0;   // "cIoU" in the papers' tables, x100
  double auc = 0.0;           // x100
  double meanIoU = 0.0;       // mean of the per-sample values (printed by EZ-VSL, not the headline)
};
SuccessCurve successCurve(const std::vector<double>& perSampleIoU);

// IS3-style instance success: an image counts at threshold t only if all of its instances have
// IoU >= t. perImage holds each image's instance IoUs. Returns IIoU@0.5 and IAUC (x100).
SuccessCurve instanceSuccessCurve(const std::vector<std::vector<double>>& perImage);

}  // namespace heardmap
