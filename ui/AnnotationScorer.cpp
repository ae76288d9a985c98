#include "AnnotationScorer.h"

#include <algorithm>

namespace heardmap {

AnnotationScorer::AnnotationScorer(QObject* parent) : QObject(parent) {}

AnnotationScorer::~AnnotationScorer() {
  cancel_ = true;  // closing the window does not wait for a whole evaluation
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool AnnotationScorer::start(AnnotationDocument document, std::vector<AnnotationEvalModel> models,
                             WindowPlacement placement) {
  if (running_) {
    return false;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  running_ = true;
  cancel_ = false;
  thread_ = std::thread([this, document = std::move(document), models = std::move(models),
                         placement] {
    std::vector<AnnotationScore> scores;
    QString status;
    try {
      const std::vector<AnnotationEvalResult> results = evaluateAnnotations(
          document, models, placement,
          [this](int done, int total) {
            QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT progress(done, total); });
          },
          &cancel_);
      int samples = 0;
      for (const AnnotationEvalResult& r : results) {
        scores.push_back({QString::fromStdString(r.name), r.samples, r.curve.successAt50,
                          r.curve.auc, r.curve.meanIoU});
        samples = std::max(samples, r.samples);
      }
      status = cancel_ ? tr("scoring stopped after %1 frames").arg(samples)
               : samples == 0
                   ? tr("no boxes to score: draw boxes on failures first (Shift+drag)")
                   : tr("%1 annotated frames; relative prediction (top 50 %), real audio, the "
                        "boxes as ground truth")
                         .arg(samples);
    } catch (const std::exception& e) {
      status = tr("scoring failed: %1").arg(QString::fromStdString(e.what()));
    }
    QMetaObject::invokeMethod(this, [this, scores, status] {
      running_ = false;
      Q_EMIT finished(scores, status);
    });
  });
  return true;
}

}  // namespace heardmap
