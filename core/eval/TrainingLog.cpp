#include "TrainingLog.h"

#include <cstdlib>
#include <sstream>

#include "TrainerProgress.h"
#include "core/Json.h"

namespace heardmap {
namespace {

// The cells of a markdown table row "| a | b | c |" (trimmed), empty for another line.
std::vector<std::string> tableCells(const std::string& line) {
  std::vector<std::string> cells;
  if (line.size() < 2 || line.front() != '|') {
    return cells;
  }
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      const size_t first = cell.find_first_not_of(' ');
      const size_t last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

// A number cell ("12.5"); false for "-" or text.
bool numberCell(const std::string& cell, double* value) {
  char* end = nullptr;
  *value = std::strtod(cell.c_str(), &end);
  return !cell.empty() && end != nullptr && *end == '\0';
}

// Column indices of the evaluation table (core/eval/BenchmarkAccumulator's markdown):
// method | condition | n | cIoU@0.5 rel | AUC rel | ... | max (cos+1)/2 mean | ...
constexpr size_t kConditionColumn = 1;
constexpr size_t kCiouColumn = 3;
constexpr size_t kAucColumn = 4;
constexpr size_t kMaxScoreColumn = 8;

void parseJsonLine(const std::string& line, TrainingLog& log) {
  const std::optional<ProgressRecord> record = parseProgressLine(line);
  if (!record) {
    return;
  }
  if (const auto* step = std::get_if<StepProgress>(&*record)) {
    log.loss.push_back({step->step, step->loss});
  } else if (const auto* eval = std::get_if<EvalProgress>(&*record)) {
    log.evals.push_back({eval->step, eval->ciou50(), eval->auc(), eval->silenceMaxScore()});
  }
}

}  // namespace

TrainingLog TrainingLog::parse(const std::string& text) {
  TrainingLog log;
  std::istringstream lines(text);
  std::string line;
  TrainingLogEval* openEval = nullptr;  // the text evaluation whose table is being read
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    long long step = 0;
    long long steps = 0;
    double loss = 0.0;
    if (!line.empty() && line.front() == '{') {
      openEval = nullptr;
      parseJsonLine(line, log);
    } else if (std::sscanf(line.c_str(), "step %lld/%lld loss %lf", &step, &steps, &loss) == 3) {
      openEval = nullptr;
      log.loss.push_back({step, loss});
    } else if (std::sscanf(line.c_str(), "eval at step %lld:", &step) == 1) {
      log.evals.push_back(TrainingLogEval{step, 0.0, 0.0, 0.0});
      openEval = &log.evals.back();
    } else if (openEval != nullptr) {
      const std::vector<std::string> cells = tableCells(line);
      if (cells.size() <= kMaxScoreColumn) {
        continue;  // the header, the rule, the second table, the note
      }
      double value = 0.0;
      if (cells[kConditionColumn] == "positive") {
        if (numberCell(cells[kCiouColumn], &value)) {
          openEval->ciou50 = value;
        }
        if (numberCell(cells[kAucColumn], &value)) {
          openEval->auc = value;
        }
      } else if (cells[kConditionColumn] == "silence" &&
                 numberCell(cells[kMaxScoreColumn], &value)) {
        openEval->silenceMaxScore = value;
      }
    }
  }
  return log;
}

std::vector<TrainingLogSection> parseTrainingLogSections(const std::string& text) {
  constexpr const char* kHeader = "===== ";  // scripts/gpu-session.sh's section header
  std::vector<std::pair<std::string, std::string>> sections = {{"", ""}};
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(kHeader, 0) == 0) {
      std::string name = line.substr(std::string(kHeader).size());
      name = name.substr(0, name.find(" ("));  // "ezvsl.log (last 60 lines)" -> "ezvsl.log"
      sections.emplace_back(name, "");
    } else {
      sections.back().second += line + "\n";
    }
  }
  std::vector<TrainingLogSection> parsed;
  for (const auto& [name, body] : sections) {
    if (name.empty() && sections.size() > 1) {
      continue;  // the lines before the first header (the script's notes)
    }
    parsed.push_back({name, TrainingLog::parse(body)});
  }
  return parsed;
}

}  // namespace heardmap
