// The curves of a heardmap-train run read back from its log: the loss at each progress line and
// the test-split scores at each evaluation, from text progress or --progress=json alike.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace heardmap {

struct TrainingLogPoint {
  int64_t step = 0;
  double value = 0.0;
};

struct TrainingLogEval {
  int64_t step = 0;
  double ciou50 = 0.0;           // positive scenes, cIoU@0.5 (relative), x100
  double auc = 0.0;              // positive scenes, AUC (relative), x100
  double silenceMaxScore = 0.0;  // silence scenes, mean max (cos+1)/2, 0..1
};

struct TrainingLog {
  std::vector<TrainingLogPoint> loss;
  std::vector<TrainingLogEval> evals;
  // Parses a log; lines that are neither progress nor evaluation are skipped, so a log with the
  // build's or the shell's output mixed in reads too. A resumed run's log (its steps starting
  // again past the last ones) simply continues the curves.
  static TrainingLog parse(const std::string& text);
};

// A file of several logs, each after a header line "===== NAME" (what scripts/gpu-session.sh
// returns as logs.txt): each named section parsed; a file without headers is one section with
// an empty name.
struct TrainingLogSection {
  std::string name;
  TrainingLog log;
};
std::vector<TrainingLogSection> parseTrainingLogSections(const std::string& text);

}  // namespace heardmap
