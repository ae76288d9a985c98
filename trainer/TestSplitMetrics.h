// The trainer's test-split table: a model evaluated on the synthetic benchmark's fixed test scenes,
// and the compact JSON form kept in a checkpoint's "metrics" metadata (torch-free).
#pragma once

#include "core/Json.h"
#include "core/data/AssetPack.h"
#include "core/data/SceneSynthesizer.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {

// The fixed test split for the model's contract (scenes at the evaluation grid size).
SceneSynthesizer testSplitScenes(const AssetPack& pack, const PreprocessingContract& contract);
// perCondition scenes of every condition, through model.localize (wherever its network is).
BenchmarkResult evaluateTestSplit(LocalizationModel& model, const SceneSynthesizer& test,
                                  int perCondition);
// Per condition cIoU@0.5 / AUC / adaptive cIoU, mean max score and pIA; SLAVC AP and max-F1.
Json compactMetrics(const BenchmarkResult& result);

}  // namespace heardmap
