// Per-sample output of heardmap eval: the rows of samples.csv and of results.json's "samples"
// (sample id, condition, model, each cIoU rule, max score), and with --save-maps every raw map
// (model resolution) and upsampled map (the evaluation grid) as .npy, named by sample id.
#pragma once

#include <string>
#include <vector>

#include "core/Heatmap.h"
#include "core/Json.h"
#include "core/data/Scene.h"
#include "core/eval/BenchmarkAccumulator.h"

namespace heardmap {

class EvalSampleRows {
 public:
  // mapsDir empty: no maps. Otherwise the folder (one subfolder per model when there are several)
  // is created now, before the evaluation. Throws FileError.
  EvalSampleRows(std::vector<std::string> modelNames, std::string mapsDir);

  void add(const std::string& sampleId, SceneCondition condition, size_t model,
           const SampleScores& scores, const Heatmap& heatmap);

  std::string csv() const;
  Json json() const;
  int mapsWritten() const { return mapsWritten_; }

 private:
  struct Row {
    std::string id;
    SceneCondition condition;
    size_t model;
    SampleScores scores;
  };
  std::string mapBase(const std::string& sampleId, size_t model) const;

  std::vector<std::string> modelNames_;
  std::string mapsDir_;
  std::vector<Row> rows_;
  int mapsWritten_ = 0;
};

}  // namespace heardmap
