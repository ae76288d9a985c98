// Scores models on a user's own failure annotations or on imported labels: every frame with a
// keyframe (and, for drawn tracks, every kAnnotationSampleSeconds inside a boxed range, boxes
// interpolated) becomes a ground-truth sample, the union of the boxes of every object there; each
// model localises that frame with the clip's real audio; cIoU (relative, top-50 % prediction) and
// the success-curve AUC are reported per model.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/PreprocessingContract.h"
#include "core/annotate/AnnotationDocument.h"
#include "core/eval/Localization.h"

namespace heardmap {

// Spacing of the extra samples inside an annotated range.
constexpr double kAnnotationSampleSeconds = 0.5;

struct AnnotationEvalModel {
  std::string name;        // shown in the table
  std::string checkpoint;  // path; empty = the untrained demo model
};

struct AnnotationEvalResult {
  std::string name;
  int samples = 0;
  SuccessCurve curve;
};

// The sample times of one annotation (sorted, unique, within its range and the clip).
std::vector<double> annotationSampleTimes(const FailureAnnotation& annotation,
                                          double clipDurationSeconds);

// Loads its own copy of each model (the caller's may be busy on another thread). placement
// Invalid = each contract's own. progress(done, total); cancel stops early (partial results).
// Throws MediaError / CheckpointError.
std::vector<AnnotationEvalResult> evaluateAnnotations(
    const AnnotationDocument& document, const std::vector<AnnotationEvalModel>& models,
    WindowPlacement placement, const std::function<void(int, int)>& progress,
    const std::atomic<bool>* cancel);

}  // namespace heardmap
