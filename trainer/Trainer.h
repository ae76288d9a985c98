// Trains a method on synthetic scenes, the user's clips or a dataset's shards (CUDA when
// available, else CPU), alone or as one of several processes started the torchrun way, with
// atomic checkpoints, a NaN/Inf guard that keeps the last good checkpoint, periodic evaluation on
// the fixed test split and progress as text or JSON lines.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/Json.h"
#include "core/ml/TrainingConfig.h"

namespace heardmap {

struct TrainingSummary {
  int64_t stepsDone = 0;
  int64_t savedStep = -1;  // step of the last checkpoint written by this run; -1 = none written
  double finalLoss = 0.0;
  double wallSeconds = 0.0;
  double samplesPerSecond = 0.0;
  std::string device;
  int rank = 0;  // this process's rank (0 writes the checkpoint; others only train)
  // With shards: the seconds steps waited for the loader's prefetch thread; -1 without shards.
  double loaderWaitSeconds = -1.0;
  bool stoppedOnNonFinite = false;
  bool stoppedByRequest = false;
  bool stoppedByBudget = false;  // --max-minutes ran out
  Json metrics;                  // last evaluation (BenchmarkResult JSON)
};

// One progress record; `line` is ready to print (text or one JSON object).
using ProgressSink = std::function<void(const std::string& line)>;

// Throws std::runtime_error (bad pack, unreadable init weights, disk errors). stopRequested
// (e.g. set by SIGTERM) ends the run after the current step with a checkpoint of its weights.
TrainingSummary train(const TrainingConfig& config, const ProgressSink& progress,
                      const std::atomic<bool>* stopRequested = nullptr);

}  // namespace heardmap
