#include "EvalCommand.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ContactSheet.h"
#include "DatasetReader.h"
#include "EvalSampleRows.h"
#include "ProgressBar.h"
#include "SampleLoader.h"
#include "app/media/AudioTrack.h"
#include "app/media/ImageLoader.h"
#include "app/media/JpegDecoder.h"
#include "app/media/MediaError.h"
#include "app/media/VideoDecoder.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "app/plots/ChartRenderer.h"
#include "app/plots/GalleryRenderer.h"
#include "core/AtomicFile.h"
#include "core/AudioWindow.h"
#include "core/CommandLine.h"
#include "core/HeatmapCompositor.h"
#include "core/HeatmapProcessor.h"
#include "core/Methods.h"
#include "core/data/SceneSynthesizer.h"
#include "core/eval/Baselines.h"
#include "core/eval/BenchmarkAccumulator.h"
#include "core/eval/OfficialRule.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Scenes per condition of the fixed synthetic test split.
constexpr int kDefaultPerCondition = 2000;
// Torch threads for evaluation: the parallel lanes of the inference worker, one thread each.
constexpr int kEvalThreads = 2;
// Positive test scenes in the gallery (plus one multi-source, one silence and one noise scene).
constexpr int kDefaultGalleryPositives = 6;
// Ground-truth box outline in the gallery: green, 2 px.
constexpr uint8_t kGalleryBoxRgb[3] = {40, 230, 60};
constexpr int kGalleryBoxPx = 2;
// Largest --per-condition (a million scenes per condition).
constexpr long long kMaxPerCondition = 1000000;
// Largest --gallery (positive scenes in the gallery picture).
constexpr long long kMaxGallery = 200;

// What --help adds below the options.
constexpr const char* kEvalNotes =
    "Evaluates each model on the synthetic benchmark's fixed test split, or on a dataset\n"
    "folder in one of the standard layouts (detected when --format is not given); writes\n"
    "DIR/results.md, results.csv, results.json, success_curves.png, max_score_hist.png and,\n"
    "for the synthetic split, gallery.png: every model's heatmaps (per-frame min-max) on the\n"
    "first N positive scenes (default 6) and a multi-source, a silence and a noise scene,\n"
    "ground-truth boxes in green, max (cos+1)/2 under each; --gallery 0 leaves it out.\n"
    "DIR/samples.csv and results.json's \"samples\" hold one row per sample and model (each\n"
    "cIoU rule, max score). --save-maps writes every raw map (model resolution) and upsampled\n"
    "map (224 x 224) as MAPDIR/<sample id>.raw.npy and .upsampled.npy (numpy.load).\n"
    "--method names the method of the next --checkpoint, for a bare .pth / safetensors whose\n"
    "names ezvsl, fnac, marginnce, lvs and sslsan share (default ezvsl); SLAVC files are told\n"
    "by their names, and --momentum-branch before one uses its momentum copies.\n"
    "Each model is also scored by its method's own test.py rule ('own rule' in results.md,\n"
    "'official' in the CSV and JSON): EZ-VSL's relative rule, SLAVC's fixed-range 0.5,\n"
    "LVS's strict median and SSPL's 0.5 on cv2-style resized maps;\n"
    "--rule applies one to every model.\n"
    "Baselines, scored like a model under every rule: untrained (a randomly initialised\n"
    "compact model, seed 1), centre-prior (a fixed centred Gaussian, sigma 0.25 of the side;\n"
    "the same map for every sample) and random[:SEED] (uniform noise on a 7 x 7 grid, seeded";

// Every entry's map for one sample: the models' from the worker's parallel lanes (a baseline's
// model is null there), the baselines' drawn here; throws naming the first model that failed.
std::vector<Heatmap> inferAll(InferenceWorker& worker, const std::vector<std::string>& names,
                              const std::vector<Baseline>& baselines, const std::string& sampleId,
                              InferenceRequest request) {
  InferenceResult result = worker.infer(std::move(request));
  for (size_t m = 0; m < result.errors.size(); ++m) {
    if (!result.errors[m].empty()) {
      throw std::runtime_error(names[m] + ": " + result.errors[m]);
    }
    if (baselines[m].isBaseline()) {
      result.heatmaps[m] = baselines[m].map(sampleId, kEvalGridSize);
    }
  }
  return std::move(result.heatmaps);
}

// A sample's audio for the frame job: decoded at each model's rate, every window centred where
// the dataset puts it (a still has no time of its own).
class SampleAudioSource : public AudioSource {
 public:
  explicit SampleAudioSource(const LoadedSample& sample) : sample_(sample) {}
  bool empty() const override { return false; }
  std::vector<float> window(const PreprocessingContract& contract, double) override {
    return cutAudioWindow(sample_.audioByRateHz.at(contract.sampleRateHz),
                          sample_.audioCentreSeconds, contract);
  }

 private:
  const LoadedSample& sample_;
};

// A test scene in the gallery, with every model's heatmap of it.
struct GalleryScene {
  Scene scene;
  std::vector<Heatmap> heatmaps;  // per model
};

bool inGallery(SceneCondition condition, int index, int positives) {
  if (condition == SceneCondition::Positive) {
    return index < positives;
  }
  return positives > 0 && index == 0 && condition != SceneCondition::Offscreen;
}

void writeGallery(const std::vector<GalleryScene>& scenes,
                  const std::vector<std::string>& modelNames, const std::string& path) {
  std::vector<std::string> titles;
  for (const GalleryScene& g : scenes) {
    titles.push_back(conditionName(g.scene.condition));
  }
  std::vector<GalleryRow> rows;
  for (size_t m = 0; m < modelNames.size(); ++m) {
    GalleryRow row;
    row.label = modelNames[m];
    const HeatmapCompositor compositor;
    for (const GalleryScene& g : scenes) {
      HeatmapProcessor processor;  // default settings: per-frame min-max, as in the papers
      RgbImage picture = compositor.compose(g.scene.image, processor.process(g.heatmaps[m]));
      for (const PixelBox& box : g.scene.sourceBoxes()) {
        drawBox(picture, box, kGalleryBoxRgb, kGalleryBoxPx);
      }
      row.tiles.push_back(std::move(picture));
      char caption[32];
      std::snprintf(caption, sizeof(caption), "max %.3f", (g.heatmaps[m].rawMax + 1.0) / 2.0);
      row.captions.push_back(caption);
    }
    rows.push_back(row);
  }
  if (!GalleryRenderer::write(path, titles, rows)) {
    std::fprintf(stderr, "could not write %s\n", path.c_str());
  }
}

void writePlots(const std::vector<BenchmarkResult>& results, const std::string& out) {
  std::vector<ChartSeries> curves;
  for (const BenchmarkResult& r : results) {
    for (const ConditionResult& c : r.conditions) {
      if (c.condition != SceneCondition::Positive) {
        continue;
      }
      ChartSeries s;
      s.label = r.method;
      for (size_t i = 0; i < c.relative.thresholds.size(); ++i) {
        s.x.push_back(c.relative.thresholds[i]);
        s.y.push_back(c.relative.rates[i]);
      }
      curves.push_back(s);
    }
  }
  ChartAxes axes;
  axes.title = "Success rate vs cIoU threshold (positive scenes, relative prediction)";
  axes.xLabel = "cIoU threshold";
  axes.yLabel = "fraction of scenes with cIoU >= threshold";
  ChartRenderer::writeLineChart(out + "/success_curves.png", axes, curves);

  for (const BenchmarkResult& r : results) {
    std::vector<ChartSeries> histograms;
    for (const ConditionResult& c : r.conditions) {
      ChartSeries s;
      s.label = conditionName(c.condition);
      for (double v : c.maxScores) {
        s.y.push_back(v);
      }
      histograms.push_back(s);
    }
    ChartAxes h;
    h.title = "Max (cos+1)/2 per scene by condition: " + r.method;
    h.xLabel = "max of (cos + 1) / 2 over the map";
    h.yLabel = "fraction of scenes";
    h.xMin = 0.3;
    h.xMax = 1.0;
    std::string safe = r.method;
    for (char& ch : safe) {
      if (!std::isalnum(static_cast<unsigned char>(ch))) {
        ch = '_';
      }
    }
    ChartRenderer::writeHistogram(out + "/max_score_hist_" + safe + ".png", h, histograms, 35);
  }
}

// What the command line asks for.
struct EvalFlags {
  std::vector<std::string> checkpoints;
  // Per checkpoint: the --method / --momentum-branch given before it.
  std::vector<LoadOptions> loadOptions;
  OfficialRule forcedRule = OfficialRule::Invalid;  // --rule: one rule for every model
  std::string pack = HEARDMAP_DEFAULT_PACK;
  std::string data = "synthetic";
  DatasetFormat format = DatasetFormat::Invalid;
  std::string out = "heardmap-eval";
  int perCondition = kDefaultPerCondition;
  double threshold = 0.5;
  int galleryPositives = kDefaultGalleryPositives;
  std::string mapsDir;
};

// The models (and baselines) under evaluation, each with its accumulator.
struct EvalModels {
  std::vector<std::shared_ptr<LocalizationModel>> models;  // null for a baseline
  std::vector<BenchmarkAccumulator> accumulators;
  std::vector<std::string> modelNames;
  std::vector<Baseline> baselines;
  std::set<int> audioRatesHz;  // the models' contract rates (baselines need no audio)
};

// Reads the command line into f; the exit status when the command should not run.
std::optional<int> parseEvalFlags(int argc, char** argv, EvalFlags& f) {
  std::vector<std::string>& checkpoints = f.checkpoints;
  std::vector<LoadOptions>& loadOptions = f.loadOptions;
  LoadOptions nextOptions;
  OfficialRule& forcedRule = f.forcedRule;
  std::string& pack = f.pack;
  std::string& data = f.data;
  DatasetFormat& format = f.format;
  std::string& out = f.out;
  int& perCondition = f.perCondition;
  double& threshold = f.threshold;
  int& galleryPositives = f.galleryPositives;
  std::string& mapsDir = f.mapsDir;
  CLI::App app("Scores models (and baselines) on the synthetic benchmark or a dataset folder.",
               "heardmap eval");
  app.footer(kEvalNotes);
  // --checkpoint, --method and --momentum-branch act in the order given (as ffmpeg's input
  // options): a --method or --momentum-branch is for the next --checkpoint only.
  app.add_option_function<std::string>(
         "--checkpoint",
         [&](const std::string& file) {
           checkpoints.push_back(file);
           loadOptions.push_back(nextOptions);
           nextOptions = LoadOptions{};
         },
         "A checkpoint, or untrained, centre-prior, random[:SEED] (repeat for more)")
      ->type_name("FILE")
      ->trigger_on_parse();
  app.add_option_function<std::string>(
         "--method",
         [&](const std::string& name) { nextOptions.method = methodNamed(name, "--method").name; },
         "The method of the next --checkpoint")
      ->type_name("NAME")
      ->trigger_on_parse();
  app.add_flag_callback(
         "--momentum-branch", [&] { nextOptions.momentumBranch = true; },
         "The next --checkpoint's SLAVC momentum copies")
      ->trigger_on_parse();
  addChoice(app, "--rule", forcedRule, officialRuleFromName, "rule", "ezvsl, slavc, lvs, sspl",
            "One test.py rule for every model");
  app.add_option("--data", data, "synthetic, or a dataset folder");
  addChoice(app, "--format", format, datasetFormatFromName, "layout",
            "flickr, vggss, avsbench, is3, folder", "Dataset layout (default: detected)");
  app.add_option("--pack", pack, "The asset pack of the synthetic benchmark");
  addCount(app, "--per-condition", perCondition, 1, kMaxPerCondition,
           "Synthetic scenes per condition");
  addNumber(app, "--threshold", threshold, 0.0, 1.0, "Threshold of the absolute rule");
  addCount(app, "--gallery", galleryPositives, 0, kMaxGallery,
           "Positive scenes in gallery.png (0: no gallery)");
  app.add_option("--out", out, "The results folder");
  app.add_option("--save-maps", mapsDir, "A folder for every map as .npy");
  if (const std::optional<int> status = parseCommandLine(app, "heardmap eval", argc, argv)) {
    return status;
  }
  if (checkpoints.empty()) {
    checkpoints.push_back("untrained");
    loadOptions.push_back(nextOptions);
  }
  return std::nullopt;
}

// Opens every checkpoint (or names the baseline) and says what each is and which rule scores it.
EvalModels loadEvalModels(const EvalFlags& f) {
  EvalModels m;
  for (size_t c = 0; c < f.checkpoints.size(); ++c) {
    const std::string& checkpoint = f.checkpoints[c];
    m.baselines.push_back(baselineFromName(checkpoint));
    if (m.baselines.back().isBaseline()) {
      const std::string name = m.baselines.back().displayName();
      std::fprintf(stderr, "baseline: %s (no model, knows nothing of the sound)\n", name.c_str());
      m.models.push_back(nullptr);
      m.accumulators.emplace_back(
          name, f.threshold,
          f.forcedRule != OfficialRule::Invalid ? f.forcedRule : OfficialRule::Ezvsl);
      m.modelNames.push_back(name);
      continue;
    }
    m.models.push_back(LocalizationModel::open(
        checkpoint == "untrained" ? std::string() : checkpoint, f.loadOptions[c]));
    m.models.back()->setEvaluationCrop(true);  // stills cropped as the method's test loader does
    const std::string name =
        m.models.back()->info().displayName() +
        (checkpoint == "untrained"
             ? ""
             : " [" + std::filesystem::path(checkpoint).filename().string() + "]");
    const CheckpointInfo& info = m.models.back()->info();
    m.audioRatesHz.insert(info.contract.sampleRateHz);
    std::fprintf(stderr, "model: %s (%s)\n  weights: %s\n", name.c_str(),
                 info.contract.summary().c_str(), info.source.c_str());
    const MethodInfo& method = methodNamed(info.config.method);
    const OfficialRule rule = f.forcedRule != OfficialRule::Invalid
                                  ? f.forcedRule
                                  : officialRuleFromName(method.evaluationRule);
    std::fprintf(stderr, "  own rule: %s%s\n", officialRuleName(rule).c_str(),
                 f.forcedRule != OfficialRule::Invalid ? " (--rule)"
                 : method.evaluationRuleIsOwn
                     ? ""
                     : " (stand-in: the method's own rule is not implemented)");
    m.accumulators.emplace_back(name, f.threshold, rule, info.config.temperature);
    m.modelNames.push_back(name);
  }
  return m;
}

// The synthetic benchmark's fixed test split; returns the samples evaluated.
int64_t evaluateSynthetic(const EvalFlags& f, EvalModels& m, InferenceWorker& worker,
                          EvalSampleRows& rows, std::vector<GalleryScene>& gallery) {
  int64_t done = 0;
  const AssetPack assets = AssetPack::load(f.pack);
  SynthesisOptions options;
  options.imageSize = kEvalGridSize;
  options.split = Split::Test;
  const SceneSynthesizer synthesizer(assets, options);
  ProgressBar bar("eval", static_cast<int64_t>(f.perCondition * allConditions().size()));
  for (SceneCondition condition : allConditions()) {
    for (int i = 0; i < f.perCondition; ++i) {
      const Scene scene = synthesizer.make(SceneSynthesizer::testSeed(condition, i), condition);
      char id[64];
      std::snprintf(id, sizeof id, "%s-%05d", conditionName(condition).c_str(), i);
      std::vector<Heatmap> heatmaps =
          inferAll(worker, m.modelNames, m.baselines, id,
                   {scene.image, std::vector<std::vector<float>>(m.models.size(), scene.audio), 0});
      for (size_t k = 0; k < m.models.size(); ++k) {
        rows.add(id, condition, k, m.accumulators[k].add(evalTargetOf(scene), heatmaps[k]),
                 heatmaps[k]);
      }
      if (inGallery(condition, i, f.galleryPositives)) {
        gallery.push_back(GalleryScene{scene, std::move(heatmaps)});
      }
      bar.update(++done);
    }
  }
  bar.finish();
  return done;
}

// A dataset folder: every readable sample, each model hearing its own window of the sample's
// audio (the frame job's request); unreadable samples are counted and skipped.
int64_t evaluateDataset(const EvalFlags& f, EvalModels& m, InferenceWorker& worker,
                        EvalSampleRows& rows) {
  // Each model as a frame-job view (a baseline is a view without a model: no window).
  std::vector<ViewSpec> views;
  for (const std::shared_ptr<LocalizationModel>& model : m.models) {
    ViewSpec view;
    view.model = model;
    views.push_back(std::move(view));
  }
  int64_t done = 0;
  const DatasetFormat format =
      f.format == DatasetFormat::Invalid ? detectDatasetFormat(f.data) : f.format;
  const DatasetScan scan = readDataset(f.data, format);
  std::fprintf(stderr, "%s: %zu samples, %d skipped for missing files\n",
               datasetFormatName(format).c_str(), scan.samples.size(), scan.missing);
  for (const std::string& missing : scan.missingExamples) {
    std::fprintf(stderr, "  missing: %s\n", missing.c_str());
  }
  if (scan.rejected > 0) {
    std::fprintf(stderr, "%d entries rejected for malformed or out-of-range values:\n",
                 scan.rejected);
    for (const std::string& reason : scan.rejectedExamples) {
      std::fprintf(stderr, "  rejected: %s\n", reason.c_str());
    }
  }
  if (scan.samples.empty()) {
    throw std::runtime_error("no usable sample in " + f.data + " (" + std::to_string(scan.missing) +
                             " with missing files, " + std::to_string(scan.rejected) +
                             " rejected); nothing written");
  }
  ProgressBar bar("eval", static_cast<int64_t>(scan.samples.size()));
  int failed = 0;
  for (const EvalSample& sample : scan.samples) {
    try {
      const LoadedSample loaded = loadSample(sample, m.audioRatesHz);
      SampleAudioSource audio(loaded);
      FrameRequest built = buildFrameRequest(loaded.frame, views, audio, nullptr);
      // Every model's map, or the sample is skipped for all of them.
      const std::vector<Heatmap> heatmaps =
          inferAll(worker, m.modelNames, m.baselines, sample.id, std::move(built.request));
      for (size_t k = 0; k < m.models.size(); ++k) {
        rows.add(sample.id, sample.target.condition, k,
                 m.accumulators[k].add(sample.target, heatmaps[k]), heatmaps[k]);
      }
    } catch (const std::exception& e) {
      ++failed;
      std::fprintf(stderr, "\nskipped %s: %s\n", sample.id.c_str(), e.what());
    }
    bar.update(++done);
  }
  bar.finish();
  if (failed > 0) {
    std::fprintf(stderr, "%d samples could not be read or evaluated and were skipped\n", failed);
  }
  if (failed == static_cast<int>(scan.samples.size())) {
    throw std::runtime_error("none of the " + std::to_string(failed) +
                             " samples could be evaluated; nothing written");
  }
  return done;
}

// results.{md,csv,json}, samples.csv, the plots and the gallery.
void writeEvalResults(const EvalFlags& f, const EvalModels& m, const EvalSampleRows& rows,
                      const std::vector<GalleryScene>& gallery) {
  std::vector<BenchmarkResult> results;
  for (const BenchmarkAccumulator& a : m.accumulators) {
    results.push_back(a.finish());
  }
  const std::string markdown = benchmarkMarkdown(results);
  std::printf("%s", markdown.c_str());
  writeFileAtomically(f.out + "/results.md", markdown);
  writeFileAtomically(f.out + "/results.csv", benchmarkCsv(results));
  writeFileAtomically(f.out + "/samples.csv", rows.csv());
  Json::Array all;
  for (const BenchmarkResult& r : results) {
    all.push_back(r.toJson());
  }
  Json document(Json::Object{});
  document["f.data"] = Json(f.data == "synthetic" ? "synthetic:" + f.pack : f.data);
  document["per_condition"] = Json(f.perCondition);
  document["results"] = Json(all);
  document["samples"] = rows.json();
  writeFileAtomically(f.out + "/results.json", document.dump(2) + "\n");

  const PlotSession plots;  // fonts for the charts
  writePlots(results, f.out);
  if (!gallery.empty()) {
    writeGallery(gallery, m.modelNames, f.out + "/gallery.png");
  }
  std::fprintf(stderr, "wrote %s/results.{md,csv,json}, samples.csv and plots%s\n", f.out.c_str(),
               gallery.empty() ? "" : " and gallery.png");
  if (!f.mapsDir.empty()) {
    std::fprintf(stderr, "wrote %d maps to %s\n", rows.mapsWritten(), f.mapsDir.c_str());
  }
}

int evalCommand(int argc, char** argv) {
  EvalFlags f;
  if (const std::optional<int> status = parseEvalFlags(argc, argv, f)) {
    return *status;
  }
  try {
    ensureWritableDirectory(f.out);  // before the evaluation, not after it
    LocalizationModel::setThreadCount(kEvalThreads);
    EvalModels m = loadEvalModels(f);
    EvalSampleRows rows(m.modelNames, f.mapsDir);
    InferenceWorker worker;
    worker.setModels(m.models);
    std::vector<GalleryScene> gallery;
    const auto start = std::chrono::steady_clock::now();
    const int64_t done = f.data == "synthetic" ? evaluateSynthetic(f, m, worker, rows, gallery)
                                               : evaluateDataset(f, m, worker, rows);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%.1f samples/s (%zu models)\n", static_cast<double>(done) / seconds,
                 m.models.size());
    writeEvalResults(f, m, rows, gallery);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heardmap eval: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int runEvalCommand(int argc, char** argv) {
  try {
    return evalCommand(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "heardmap eval: %s\n", e.what());
    return 2;
  }
}

}  // namespace heardmap
