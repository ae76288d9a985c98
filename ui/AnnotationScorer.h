// Scores models on the user's annotated boxes (AnnotationEvaluator) on a background thread and
// reports back on the GUI thread: progress, then the table rows and a status line.
#pragma once

#include <QObject>
#include <atomic>
#include <thread>
#include <vector>

#include "AnnotationPanel.h"
#include "app/cli/AnnotationEvaluator.h"

namespace heardmap {

class AnnotationScorer : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationScorer(QObject* parent = nullptr);
  ~AnnotationScorer() override;  // stops a running evaluation at its next frame

  // False (nothing started) while an evaluation runs.
  bool start(AnnotationDocument document, std::vector<AnnotationEvalModel> models,
             WindowPlacement placement);
  bool isRunning() const { return running_.load(); }
  // Stops a running evaluation at its next frame; finished() reports what was scored.
  void cancel() { cancel_ = true; }

 Q_SIGNALS:
  void progress(int done, int total);
  void finished(const std::vector<heardmap::AnnotationScore>& scores, const QString& status);

 private:
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace heardmap
