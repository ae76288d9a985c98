#include "AnnotationScorer.h"

#include <algorithm>

namespace heardmap {

AnnotationScorer::AnnotationScorer(QObject* parent)
    : QObject(parent), job_(new BackgroundJob(this)) {
  connect(job_, &BackgroundJob::progress, this, &AnnotationScorer::progress);
  connect(job_, &BackgroundJob::finished, this, [this](const QString& error) {
    std::vector<AnnotationScore> scores;
    int samples = 0;
    for (const AnnotationEvalResult& r : results_) {
      scores.push_back({QString::fromStdString(r.name), r.samples, r.curve.successAt50, r.curve.auc,
                        r.curve.meanIoU});
      samples = std::max(samples, r.samples);
    }
    const QString status =
        !error.isEmpty()          ? tr("scoring failed: %1").arg(error)
        : job_->cancelRequested() ? tr("scoring stopped after %1 frames").arg(samples)
        : samples == 0
            ? tr("no boxes to score: draw boxes on failures first (Shift+drag)")
            : tr("%1 annotated frames; relative prediction (top 50 %), real audio, the boxes as "
                 "ground truth")
                  .arg(samples);
    Q_EMIT finished(error.isEmpty() ? scores : std::vector<AnnotationScore>{}, status);
  });
}

AnnotationScorer::~AnnotationScorer() {
  job_->cancelAndWait();  // the work writes results_, a member: stop it before they go
}

bool AnnotationScorer::start(AnnotationDocument document, std::vector<AnnotationEvalModel> models,
                             WindowPlacement placement) {
  if (job_->isRunning()) {
    return false;
  }
  results_.clear();
  return job_->start([this, document = std::move(document), models = std::move(models), placement](
                         const BackgroundJob::Report& report, const std::atomic<bool>& cancel) {
    results_ = evaluateAnnotations(document, models, placement, report, &cancel);
  });
}

}  // namespace heardmap
