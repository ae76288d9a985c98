#include "TrainerProgress.h"

#include <cmath>
#include <cstdio>

namespace heardmap {
namespace {

// Most training processes a progress record may name.
constexpr int64_t kMaxWorldSize = 65536;

// Largest step count a record may carry (2^53: exact in a double).
constexpr int64_t kMaxStep = int64_t{1} << 53;

double metric(const Json& metrics, const char* condition, const char* name) {
  if (!metrics.isObject() || !metrics.contains(condition) || !metrics.at(condition).isObject()) {
    return 0.0;
  }
  return metrics.at(condition).numberOr(name, 0.0);
}

// A number with a fixed count of decimals ("%.5f"): the records stay short and readable.
std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, std::isfinite(value) ? value : 0.0);
  return buffer;
}

// One record in the log's style: {"event": "step", "step": 7, ...}, fields in the order given,
// each value already JSON text.
std::string record(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string out = "{";
  for (const auto& [key, value] : fields) {
    out += (out.size() > 1 ? ", " : "") + Json(key).dump() + ": " + value;
  }
  return out + "}";
}

std::string recordLine(const StepProgress& s) {
  return record({{"event", "\"step\""},
                 {"step", std::to_string(s.step)},
                 {"steps", std::to_string(s.steps)},
                 {"loss", fixed(s.loss, 5)},
                 {"samples_per_s", fixed(s.samplesPerSecond, 2)},
                 {"elapsed_s", fixed(s.elapsedSeconds, 1)},
                 {"remaining_s", fixed(s.remainingSeconds, 0)},
                 {"world_size", std::to_string(s.worldSize)},
                 {"epoch", std::to_string(s.epoch)},
                 {"epochs", std::to_string(s.epochs)}});
}

std::string recordLine(const EvalProgress& e) {
  return record(
      {{"event", "\"eval\""}, {"step", std::to_string(e.step)}, {"metrics", e.metrics.dump()}});
}

std::string recordLine(const StopProgress& s) {
  return record({{"event", "\"stopped\""},
                 {"reason", Json(s.reason).dump()},
                 {"step", std::to_string(s.step)}});
}

}  // namespace

double EvalProgress::ciou50() const {
  return metric(metrics, "positive", "ciou50_relative");
}

double EvalProgress::auc() const {
  return metric(metrics, "positive", "auc_relative");
}

double EvalProgress::silenceMaxScore() const {
  return metric(metrics, "silence", "mean_max_unit");
}

std::string progressLine(const ProgressRecord& record) {
  return std::visit([](const auto& r) { return recordLine(r); }, record);
}

std::optional<ProgressRecord> parseProgressLine(const std::string& line) {
  if (line.empty() || line.front() != '{') {
    return std::nullopt;
  }
  try {
    const Json json = Json::parse(line);
    if (!json.isObject() || !json.contains("event") || !json.at("event").isString()) {
      return std::nullopt;
    }
    const std::string kind = json.at("event").asString();
    const int64_t step = json.intAt("step", 0, kMaxStep);
    if (kind == "step") {
      StepProgress s;
      s.step = step;
      s.steps = json.intOr("steps", 0, 0, kMaxStep);
      s.loss = json.numberOr("loss", 0.0);
      s.samplesPerSecond = json.numberOr("samples_per_s", 0.0);
      s.elapsedSeconds = json.numberOr("elapsed_s", 0.0);
      s.remainingSeconds = json.numberOr("remaining_s", 0.0);
      s.worldSize = static_cast<int>(json.intOr("world_size", 1, 1, kMaxWorldSize));
      s.epoch = json.intOr("epoch", 0, 0, kMaxStep);
      s.epochs = json.intOr("epochs", 0, 0, kMaxStep);
      return s;
    }
    if (kind == "eval") {
      EvalProgress e;
      e.step = step;
      e.metrics = json.contains("metrics") ? json.at("metrics") : Json(Json::Object{});
      return e;
    }
    if (kind == "stopped") {
      return StopProgress{step, json.stringOr("reason", "")};
    }
  } catch (const JsonError&) {
    // not a record this program wrote: skipped like any other foreign line
  }
  return std::nullopt;
}

}  // namespace heardmap
