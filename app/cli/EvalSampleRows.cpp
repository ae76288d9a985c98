#include "EvalSampleRows.h"

#include <cmath>
#include <cstdio>

#include "core/AtomicFile.h"
#include "core/CsvField.h"
#include "core/NpyFile.h"
#include "core/eval/Localization.h"

namespace heardmap {
namespace {

// A sample id as a file name: path separators and other odd characters become '_'.
std::string fileNameOf(const std::string& id) {
  std::string out;
  for (const char c : id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    out += plain ? c : '_';
  }
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

std::string number(double value) {
  if (!std::isfinite(value)) {
    return "";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  return buffer;
}

Json numberOrNull(double value) {
  return std::isfinite(value) ? Json(value) : Json();
}

}  // namespace

EvalSampleRows::EvalSampleRows(std::vector<std::string> modelNames, std::string mapsDir)
    : modelNames_(std::move(modelNames)), mapsDir_(std::move(mapsDir)) {
  if (mapsDir_.empty()) {
    return;
  }
  ensureWritableDirectory(mapsDir_);
  for (size_t m = 0; modelNames_.size() > 1 && m < modelNames_.size(); ++m) {
    ensureWritableDirectory(mapsDir_ + "/model" + std::to_string(m + 1));
  }
}

std::string EvalSampleRows::mapBase(const std::string& sampleId, size_t model) const {
  return mapsDir_ + "/" +
         (modelNames_.size() > 1 ? "model" + std::to_string(model + 1) + "/" : "") +
         fileNameOf(sampleId);
}

void EvalSampleRows::add(const std::string& sampleId, SceneCondition condition, size_t model,
                         const SampleScores& scores, const Heatmap& heatmap) {
  rows_.push_back({sampleId, condition, model, scores});
  if (mapsDir_.empty()) {
    return;
  }
  const std::string base = mapBase(sampleId, model);
  saveNpy(base + ".raw.npy", {heatmap.height, heatmap.width}, heatmap.scores);
  saveNpy(base + ".upsampled.npy", {kEvalGridSize, kEvalGridSize},
          upsampleAlignCorners(heatmap.scores, heatmap.width, heatmap.height, kEvalGridSize,
                               kEvalGridSize));
  mapsWritten_ += 2;
}

std::string EvalSampleRows::csv() const {
  std::string out =
      "sample,condition,model,ciou_relative,ciou_absolute,ciou_adaptive,max_score,"
      "area_above,ciou_official\n";
  for (const Row& r : rows_) {
    out += csvField(r.id) + "," + conditionName(r.condition) + "," +
           csvField(modelNames_.at(r.model)) + "," + number(r.scores.relative) + "," +
           number(r.scores.absolute) + "," + number(r.scores.adaptive) + "," +
           number(r.scores.maxScore) + "," + number(r.scores.areaAbove) + "," +
           number(r.scores.official) + "\n";
  }
  return out;
}

Json EvalSampleRows::json() const {
  Json::Array rows;
  for (const Row& r : rows_) {
    Json row(Json::Object{});
    row["sample"] = Json(r.id);
    row["condition"] = Json(conditionName(r.condition));
    row["model"] = Json(modelNames_.at(r.model));
    row["ciou_relative"] = numberOrNull(r.scores.relative);
    row["ciou_absolute"] = numberOrNull(r.scores.absolute);
    row["ciou_adaptive"] = numberOrNull(r.scores.adaptive);
    row["max_score"] = numberOrNull(r.scores.maxScore);
    row["area_above"] = numberOrNull(r.scores.areaAbove);
    row["ciou_official"] = numberOrNull(r.scores.official);  // by the model's own rule
    rows.push_back(std::move(row));
  }
  return Json(rows);
}

}  // namespace heardmap
