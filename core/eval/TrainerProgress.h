// The trainer's progress records: what `heardmap-train --progress=json` prints, one JSON object
// per line, and what the Trainer pane and `heardmap curves` read back. One type per record, one
// writer (progressLine) and one reader (parseProgressLine), so that the three programs cannot
// disagree on a field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/Json.h"

namespace heardmap {

// {"event": "step", ...}: the mean loss of the last progress interval.
struct StepProgress {
  int64_t step = 0;   // steps done
  int64_t steps = 0;  // steps of the run
  double loss = 0.0;
  double samplesPerSecond = 0.0;
  double elapsedSeconds = 0.0;
  double remainingSeconds = 0.0;
  int worldSize = 1;  // training processes
  int64_t epoch = 0;  // with shards: the epoch in progress (1-based); 0 = no epochs
  int64_t epochs = 0;
};

// {"event": "eval", "step": N, "metrics": {...}}: the test split's compact table.
struct EvalProgress {
  int64_t step = 0;
  Json metrics;  // per condition: ciou50_relative, auc_relative, mean_max_unit, ...

  double ciou50() const;           // positive scenes, cIoU@0.5 (relative), x100; 0 if absent
  double auc() const;              // positive scenes, AUC (relative), x100
  double silenceMaxScore() const;  // silence scenes, mean max (cos+1)/2, 0..1
};

// {"event": "stopped", "reason": R, "step": N}: the run stopped early (NaN loss, a signal...).
struct StopProgress {
  int64_t step = 0;
  std::string reason;
};

using ProgressRecord = std::variant<StepProgress, EvalProgress, StopProgress>;

// The record as one line of JSON (no newline).
std::string progressLine(const ProgressRecord& record);
// The record a line holds; nullopt for any other line (build output, text progress, a record of
// an unknown kind, a step count that is not a whole number).
std::optional<ProgressRecord> parseProgressLine(const std::string& line);

}  // namespace heardmap
