#include "CurvesCommand.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/plots/ChartRenderer.h"
#include "core/AtomicFile.h"
#include "core/CommandLine.h"
#include "core/eval/TrainingLog.h"

namespace heardmap {
namespace {

// Margin around the loss curve's range, as a fraction of it.
constexpr double kLossMargin = 0.05;

// What --help adds below the options.
constexpr const char* kCurvesNotes =
    "Reads heardmap-train logs (text progress or --progress=json; a file of '===== NAME'\n"
    "sections, such as the GPU session's logs.txt, is a run per section) and draws their\n"
    "curves: DIR/loss.png (the loss at each progress line) and DIR/test_split.png\n"
    "(positive-scene cIoU@0.5 and AUC, and the silence max score x100, at each evaluation),\n"
    "one colour per run.";

struct Run {
  std::string name;
  TrainingLog log;
};

// The round number at or above v (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten), so
// that the step ticks are round.
double roundUp(double v) {
  const double scale = std::pow(10.0, std::floor(std::log10(v)));
  for (const double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
    if (m * scale >= v) {
      return m * scale;
    }
  }
  return 10.0 * scale;
}

// The largest step of any curve, rounded up (the x range of both charts).
double lastStep(const std::vector<Run>& runs) {
  double last = 1.0;
  for (const Run& run : runs) {
    for (const TrainingLogPoint& p : run.log.loss) {
      last = std::max(last, static_cast<double>(p.step));
    }
    for (const TrainingLogEval& e : run.log.evals) {
      last = std::max(last, static_cast<double>(e.step));
    }
  }
  return roundUp(last);
}

bool writeLossChart(const std::vector<Run>& runs, const std::string& path) {
  std::vector<ChartSeries> series;
  double low = 1e300;
  double high = -1e300;
  for (const Run& run : runs) {
    ChartSeries s;
    s.label = run.name;
    for (const TrainingLogPoint& p : run.log.loss) {
      s.x.push_back(static_cast<double>(p.step));
      s.y.push_back(p.value);
      low = std::min(low, p.value);
      high = std::max(high, p.value);
    }
    series.push_back(s);
  }
  if (low > high) {
    low = 0.0;
    high = 1.0;
  }
  const double margin = std::max(kLossMargin * (high - low), 1e-3);
  ChartAxes axes;
  axes.title = "Training loss (mean over each progress interval)";
  axes.xLabel = "step";
  axes.yLabel = "loss";
  axes.xMax = lastStep(runs);
  axes.yMin = low - margin;
  axes.yMax = high + margin;
  return ChartRenderer::writeLineChart(path, axes, series);
}

bool writeTestSplitChart(const std::vector<Run>& runs, const std::string& path) {
  std::vector<ChartSeries> series;
  for (size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    const std::string& name = run.name;
    // One colour per run; the line style tells the scores apart.
    ChartSeries ciou{name + ": cIoU@0.5", {}, {}, static_cast<int>(r), LineStyle::Solid, true};
    ChartSeries auc{name + ": AUC", {}, {}, static_cast<int>(r), LineStyle::Dash, true};
    ChartSeries silence{
        name + ": silence max x100", {}, {}, static_cast<int>(r), LineStyle::Dot, true};
    for (const TrainingLogEval& e : run.log.evals) {
      const auto step = static_cast<double>(e.step);
      ciou.x.push_back(step);
      ciou.y.push_back(e.ciou50);
      auc.x.push_back(step);
      auc.y.push_back(e.auc);
      silence.x.push_back(step);
      silence.y.push_back(100.0 * e.silenceMaxScore);
    }
    series.insert(series.end(), {ciou, auc, silence});
  }
  ChartAxes axes;
  axes.title = "Test split at each evaluation (positive scenes; silence: lower is better)";
  axes.xLabel = "step";
  axes.yLabel = "score x100";
  axes.xMax = lastStep(runs);
  axes.yMax = 100.0;
  return ChartRenderer::writeLineChart(path, axes, series);
}

}  // namespace

int runCurvesCommand(int argc, char** argv) {
  std::vector<std::string> logs;
  std::string out = ".";
  CLI::App app("Draws the loss and test-split curves of training logs.", "heardmap curves");
  app.footer(kCurvesNotes);
  app.add_option("logs", logs, "heardmap-train logs")->required();
  app.add_option("--out", out, "The folder of the charts (default: the current folder)");
  if (const std::optional<int> status = parseCommandLine(app, "heardmap curves", argc, argv)) {
    return *status;
  }
  std::vector<Run> runs;
  // Each run is named by its file name, or by the path as given where two names are the same
  // (run1/train.log, run2/train.log).
  const auto nameOf = [&](const std::string& path) {
    const std::string name = std::filesystem::path(path).filename().string();
    const auto same = std::count_if(logs.begin(), logs.end(), [&](const std::string& other) {
      return std::filesystem::path(other).filename().string() == name;
    });
    return same > 1 ? path : name;
  };
  try {
    for (const std::string& path : logs) {
      // A plain log is one run; the GPU session's logs.txt holds one per "===== NAME" section
      // (sections without progress, such as the build's, are passed over).
      bool anyProgress = false;
      for (TrainingLogSection& section : parseTrainingLogSections(readFile(path))) {
        if (section.log.loss.empty() && section.log.evals.empty()) {
          continue;
        }
        anyProgress = true;
        const std::string name =
            section.name.empty()
                ? nameOf(path)
                : (logs.size() > 1 ? nameOf(path) + ": " : std::string()) + section.name;
        std::fprintf(stderr, "%s: %zu loss points, %zu evaluations\n", name.c_str(),
                     section.log.loss.size(), section.log.evals.size());
        runs.push_back(Run{name, std::move(section.log)});
      }
      if (!anyProgress) {
        std::fprintf(stderr, "heardmap curves: %s holds no heardmap-train progress\n",
                     path.c_str());
        return 1;
      }
    }
    ensureWritableDirectory(out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap curves: %s\n", e.what());
    return 1;
  }
  const PlotSession plots;  // fonts for the charts
  const std::string lossPath = out + "/loss.png";
  const std::string testPath = out + "/test_split.png";
  if (!writeLossChart(runs, lossPath) || !writeTestSplitChart(runs, testPath)) {
    std::fprintf(stderr, "heardmap curves: cannot write the charts into %s\n", out.c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %s and %s\n", lossPath.c_str(), testPath.c_str());
  return 0;
}

}  // namespace heardmap
