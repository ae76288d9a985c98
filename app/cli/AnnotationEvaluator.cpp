#include "AnnotationEvaluator.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "app/media/AudioAtRates.h"
#include "app/media/AudioTrack.h"
#include "app/media/VideoDecoder.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/eval/GroundTruth.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

std::vector<double> annotationSampleTimes(const FailureAnnotation& annotation,
                                          double clipDurationSeconds) {
  std::vector<double> times = annotation.keyframeTimes();
  if (times.empty()) {
    return times;
  }
  // Drawn tracks are interpolated, so the range between keyframes is sampled too; imported
  // labels exist at their frames only.
  for (double t = annotation.startSeconds;
       !annotation.keyframesOnly && t <= annotation.endSeconds + 1e-9;
       t += kAnnotationSampleSeconds) {
    times.push_back(t);
  }
  for (double& t : times) {
    t = std::clamp(t, 0.0, std::max(0.0, clipDurationSeconds));
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end(),
                          [](double a, double b) { return std::abs(a - b) < 1e-3; }),
              times.end());
  return times;
}

std::vector<AnnotationEvalResult> evaluateAnnotations(
    const AnnotationDocument& document, const std::vector<AnnotationEvalModel>& models,
    WindowPlacement placement, const std::function<void(int, int)>& progress,
    const std::atomic<bool>* cancel) {
  std::vector<ViewSpec> views;
  for (const AnnotationEvalModel& m : models) {
    ViewSpec view;
    view.model = LocalizationModel::open(m.checkpoint);
    view.placement = placement;
    views.push_back(std::move(view));
  }
  VideoDecoder decoder(document.clipPath);
  const double duration = decoder.info().durationSeconds;
  AudioTrack track = decodeAudio(document.clipPath, 48000, duration);
  // Each sample is a frame and every box there (the union is the ground truth, as in the
  // Flickr-SoundNet test set); points have no area and do not count.
  std::vector<std::pair<double, std::vector<NormalizedBox>>> samples;
  for (const FailureAnnotation& a : document.items()) {
    for (double t : annotationSampleTimes(a, duration)) {
      std::vector<NormalizedBox> boxes;
      for (const FailureAnnotation::ObjectBox& b : a.boxesAt(t)) {
        if (b.shape == ObjectShape::Box && b.box.area() > 0.0) {
          boxes.push_back(b.box);
        }
      }
      if (!boxes.empty()) {
        samples.emplace_back(t, std::move(boxes));
      }
    }
  }
  std::sort(samples.begin(), samples.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::vector<double>> ious(models.size());
  int done = 0;
  // The model audio per contract rate, resampled once; every model on each frame in one job.
  AudioAtRates audio(std::move(track.samples), 48000);
  ClipAudioSource source(&audio);
  FrameJob job(std::move(views), source, nullptr);
  for (const auto& [t, boxes] : samples) {
    if (cancel != nullptr && cancel->load()) {
      break;
    }
    decoder.seek(t);
    const std::optional<RgbImage> frame = decoder.nextFrame();
    if (!frame) {
      continue;
    }
    std::vector<PixelBox> pixelBoxes;
    for (const NormalizedBox& box : boxes) {
      pixelBoxes.push_back(boxFromNormalized(box.x0, box.y0, box.x1, box.y1, kEvalGridSize));
    }
    const std::vector<float> truth = unionGroundTruth(pixelBoxes, kEvalGridSize);
    const std::vector<ViewMaps> maps = job.run(*frame);
    for (size_t m = 0; m < maps.size(); ++m) {
      const Heatmap& heatmap = maps[m].raw;
      std::vector<float> map = upsampleAlignCorners(heatmap.scores, heatmap.width, heatmap.height,
                                                    kEvalGridSize, kEvalGridSize);
      minMaxNormalize(map);
      ious[m].push_back(consensusIoU(binarize(map, PredictionRule::RelativeMedian, truth), truth));
    }
    ++done;
    if (progress) {
      progress(done, static_cast<int>(samples.size()));
    }
  }
  std::vector<AnnotationEvalResult> results;
  for (size_t m = 0; m < models.size(); ++m) {
    AnnotationEvalResult r;
    r.name = models[m].name;
    r.samples = static_cast<int>(ious[m].size());
    r.curve = successCurve(ious[m]);
    results.push_back(r);
  }
  return results;
}

}  // namespace heardmap
