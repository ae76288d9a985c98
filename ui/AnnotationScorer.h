// Scores models on the user's annotated boxes (AnnotationEvaluator) as a BackgroundJob and
// reports back on the GUI thread: progress, then the table rows and a status line.
#pragma once

#include <QObject>
#include <vector>

#include "AnnotationPanel.h"
#include "BackgroundJob.h"
#include "app/cli/AnnotationEvaluator.h"

namespace heardmap {

class AnnotationScorer : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationScorer(QObject* parent = nullptr);
  // Destroyed while it runs (the window closes), the evaluation stops at its next frame.
  ~AnnotationScorer() override;

  // False (nothing started) while an evaluation runs.
  bool start(AnnotationDocument document, std::vector<AnnotationEvalModel> models,
             WindowPlacement placement);
  bool isRunning() const { return job_->isRunning(); }
  // Stops a running evaluation at its next frame; finished() reports what was scored.
  void cancel() { job_->cancel(); }

 Q_SIGNALS:
  void progress(int done, int total);
  void finished(const std::vector<heardmap::AnnotationScore>& scores, const QString& status);

 private:
  BackgroundJob* job_;                         // a child
  std::vector<AnnotationEvalResult> results_;  // written by the job, read when it has ended
};

}  // namespace heardmap
