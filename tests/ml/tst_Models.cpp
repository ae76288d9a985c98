#include <QtTest>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/AtomicFile.h"
#include "core/Methods.h"
#include "core/Safetensors.h"
#include "core/ShippedModels.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"
#include "core/ml/TrainingConfig.h"
#include "core/pth/PthReader.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::realTorchSave;

namespace {

// The six shipped checkpoints' size budget: 40 MiB (issue 4: "target <= 40 MB").
constexpr uintmax_t kShippedBudgetBytes = 40ull * 1024 * 1024;

RgbImage testFrame(int width, int height, double time = 0.0) {
  RgbImage f;
  f.width = width;
  f.height = height;
  f.timeSeconds = time;
  f.pixels.resize(static_cast<size_t>(width * height * 3));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = f.pixels.data() + (y * width + x) * 3;
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>((x * y) % 251);
    }
  }
  return f;
}

std::vector<float> testAudio(const PreprocessingContract& c) {
  std::vector<float> a(static_cast<size_t>(c.windowSamples()));
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = 0.3f * static_cast<float>(std::sin(2 * M_PI * 440.0 * i / c.sampleRateHz));
  }
  return a;
}

std::unique_ptr<LocalizationModel> compactModel(uint64_t seed) {
  PreprocessingContract c = PreprocessingContract::ezvsl();
  c.imageSize = 160;
  return LocalizationModel::createUntrained(ModelConfig::compact(), c, seed);
}

}  // namespace

class TestModels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { LocalizationModel::setThreadCount(2); }

  // Names and sizes follow torchvision's ResNet-18 and stoneMo/EZ-VSL's model.py.
  // heardmap-train's flags have one writer and one reader (issue 18 item 4): any config read back
  // from the flags it writes is the same config, settings of other methods included.
  void trainingFlagsRoundTrip() {
    const auto same = [](const TrainingConfig& a, const TrainingConfig& b) {
      return a.toJson().dump() == b.toJson().dump() && a.toArguments() == b.toArguments() &&
             a.initPath == b.initPath && a.resume == b.resume && a.progress == b.progress &&
             a.fnacLambdaGiven == b.fnacLambdaGiven && a.threads == b.threads &&
             a.shardsPath == b.shardsPath && a.epochs == b.epochs && a.augment == b.augment &&
             a.backend == b.backend && a.negatives == b.negatives &&
             a.collectiveTimeoutSeconds == b.collectiveTimeoutSeconds;
    };
    const std::vector<std::vector<std::string>> runs = {
        {"--pack", "p.safetensors"},
        {"--pack", "p", "--method", "fnac", "--batch", "48", "--lr", "3e-5", "--warmup-steps", "20",
         "--image-dropout", "0.5", "--progress=json", "--max-minutes", "1.5"},
        {"--pack", "p", "--method", "fnac", "--fnac-lambda", "50", "--weight-decay", "0"},
        {"--pack", "p", "--method", "marginnce", "--margin", "-0.35", "--init", "base.pth",
         "--freeze-trunks", "30", "--ship", "--seed", "7", "--channels-last"},
        {"--pack",
         "p",
         "--method",
         "sslsan",
         "--negative-ratio",
         "0.5",
         "--variant",
         "small",
         "--image-padding",
         "circular",
         "--layer4-stride",
         "1",
         "--synthesis",
         "cpu",
         "--data-threads",
         "3",
         "--tau",
         "0.07",
         "--precision",
         "fp32",
         "--half",
         "--resume",
         "--clips",
         "c.safetensors",
         "--threads",
         "4",
         "--checkpoint-every",
         "7"},
        {"--pack", "p", "--shards", "vggss-shards", "--epochs", "20", "--augment", "none",
         "--backend", "gloo", "--negatives", "local", "--collective-timeout", "120"}};
    for (const std::vector<std::string>& flags : runs) {
      const TrainingConfig c = TrainingConfig::fromArguments(flags);
      const std::vector<std::string> written = c.toArguments();
      const TrainingConfig back = TrainingConfig::fromArguments(written);
      std::string line;
      for (const std::string& w : written) {
        line += w + " ";
      }
      QVERIFY2(same(c, back), line.c_str());
    }
    // A base keeps its own size: no --variant is written with --init.
    const TrainingConfig fromBase =
        TrainingConfig::fromArguments({"--pack", "p", "--init", "b", "--variant", "full"});
    const std::vector<std::string> written = fromBase.toArguments();
    QVERIFY(std::find(written.begin(), written.end(), "--variant") == written.end());
    // CLI11 reads them: a flag given twice counts once, the last; --flag=value is a value.
    const TrainingConfig twice = TrainingConfig::fromArguments(
        {"--pack", "p", "--steps", "5", "--progress=json", "--steps=7", "--ship"});
    QCOMPARE(twice.steps, int64_t(7));
    QVERIFY(twice.progress == ProgressFormat::JsonLines);
    QVERIFY(twice.halfPrecision && twice.inferenceOnly);
    // Shards and clips are two sources of pairs; epochs count passes over shards.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments(
                                 {"--pack", "p", "--shards", "s", "--clips", "c.safetensors"}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--epochs", "3"}));
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        TrainingConfig::fromArguments({"--pack", "p", "--shards", "s", "--backend", "mpi"}));
    try {
      TrainingConfig::fromArguments({"--pack", "p", "--tau", "0"});
      QFAIL("no exception");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("--tau"), e.what());
    }
  }

  void fullModelHasTorchvisionNames() {
    auto model =
        LocalizationModel::createUntrained(ModelConfig::full(), PreprocessingContract::ezvsl(), 0);
    const std::vector<std::string> names = model->parameterNames();
    const auto has = [&](const std::string& n) {
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    for (const char* name :
         {"imgnet.conv1.weight", "imgnet.bn1.running_mean", "imgnet.layer1.0.conv1.weight",
          "imgnet.layer2.0.downsample.0.weight", "imgnet.layer2.0.downsample.1.running_var",
          "imgnet.layer4.1.bn2.num_batches_tracked", "img_proj.weight", "img_proj.bias",
          "audnet.conv1.weight", "audnet.layer4.1.conv2.weight", "aud_proj.weight",
          "aud_proj.bias"}) {
      QVERIFY2(has(name), name);
    }
    QVERIFY(!has("imgnet.fc.weight"));
    QVERIFY(!has("imgnet.layer1.0.downsample.0.weight"));  // stride 1, same width: no downsample
    // ResNet-18 without fc: 11,689,512 - 513,000 = 11,176,512 parameters; the audio trunk's
    // 1-channel conv1 has 2 * 64 * 49 fewer; each projection has 512 * 512 + 512.
    QCOMPARE(model->parameterCount(), int64_t(11176512 + (11176512 - 6272) + 2 * 262656));
    const StateDict dict = model->stateDict();
    QCOMPARE(dict.at("audnet.conv1.weight").shape, (std::vector<int64_t>{64, 1, 7, 7}));
    QCOMPARE(dict.at("img_proj.weight").shape, (std::vector<int64_t>{512, 512, 1, 1}));
    QCOMPARE(dict.at("aud_proj.weight").shape, (std::vector<int64_t>{512, 512}));
    QCOMPARE(model->mapSize(), 7);
  }

  void localizeGivesACosineMap() {
    auto full =
        LocalizationModel::createUntrained(ModelConfig::full(), PreprocessingContract::ezvsl(), 0);
    const Heatmap h = full->localize(testFrame(320, 180, 1.5), testAudio(full->contract()));
    QCOMPARE(h.width, 7);
    QCOMPARE(h.height, 7);
    QCOMPARE(h.timeSeconds, 1.5);
    for (float v : h.scores) {
      QVERIFY(v >= -1.0001f && v <= 1.0001f);
    }
    QVERIFY(h.rawMax > h.rawMin);
    auto compact = compactModel(1);
    QCOMPARE(compact->mapSize(), 5);
    const Heatmap hc = compact->localize(testFrame(64, 48), testAudio(compact->contract()));
    QCOMPARE(hc.width, 5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             compact->localize(testFrame(64, 48), std::vector<float>(100)));
  }

  void untrainedModelsAreDeterministicPerSeed() {
    auto a = compactModel(5);
    auto b = compactModel(5);
    auto c = compactModel(6);
    const std::vector<float> audio = testAudio(a->contract());
    const Heatmap ha = a->localize(testFrame(64, 48), audio);
    QCOMPARE(b->localize(testFrame(64, 48), audio).scores, ha.scores);
    QVERIFY(c->localize(testFrame(64, 48), audio).scores != ha.scores);
    QVERIFY(!a->info().trained);
    QVERIFY(QString::fromStdString(a->info().displayName()).contains("untrained"));
  }

  // With circular padding the trunk cannot see the picture's border: rolling the picture by one
  // map cell (32 px) rolls the map by one cell, exactly; with zero padding it does not.
  void circularPaddingRollsTheMapWithThePicture() {
    const int size = 160;
    const int cellPx = 32;  // layer-4 stride of the compact trunk
    RgbImage frame = testFrame(size, size);
    std::mt19937 rng(7);
    for (uint8_t& v : frame.pixels) {
      v = static_cast<uint8_t>(rng() % 256);
    }
    RgbImage rolled = frame;
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        for (int c = 0; c < 3; ++c) {
          rolled.pixels[static_cast<size_t>((y * size + (x + cellPx) % size) * 3 + c)] =
              frame.pixels[static_cast<size_t>((y * size + x) * 3 + c)];
        }
      }
    }
    const auto worstRollError = [&](LocalizationModel& model) {
      const std::vector<float> audio = testAudio(model.contract());
      const Heatmap a = model.localize(frame, audio);
      const Heatmap b = model.localize(rolled, audio);
      float worst = 0.0f;
      for (int y = 0; y < a.height; ++y) {
        for (int x = 0; x < a.width; ++x) {
          const float expected = a.scores[static_cast<size_t>(y * a.width + x)];
          const float got = b.scores[static_cast<size_t>(y * a.width + (x + 1) % a.width)];
          worst = std::max(worst, std::fabs(expected - got));
        }
      }
      return worst;
    };
    PreprocessingContract contract = PreprocessingContract::ezvsl();
    contract.imageSize = size;
    ModelConfig config = ModelConfig::compact();
    config.imagePadding = "circular";
    auto circular = LocalizationModel::createUntrained(config, contract, 4);
    QCOMPARE(circular->mapSize(), 5);
    QVERIFY2(worstRollError(*circular) < 1e-4f, "circular map does not roll with the picture");
    auto zeros = compactModel(4);
    QVERIFY(worstRollError(*zeros) > 1e-3f);  // the border is visible to a zero-padded trunk

    // The padding is part of the architecture a checkpoint records.
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.safetensors").toStdString();
    circular->save(path);
    auto loaded = LocalizationModel::load(path);
    QCOMPARE(loaded->info().config.imagePadding, std::string("circular"));
    const std::vector<float> audio = testAudio(contract);
    QCOMPARE(loaded->localize(frame, audio).scores, circular->localize(frame, audio).scores);
  }

  void safetensorsRoundTrip() {
    QTemporaryDir dir;
    auto model = compactModel(2);
    model->info().training = Json::parse(R"({"steps": 10})");
    const std::string path = dir.filePath("m.safetensors").toStdString();
    model->save(path);
    auto loaded = LocalizationModel::load(path);
    QCOMPARE(loaded->info().config.baseWidth, 32);
    QCOMPARE(loaded->contract().imageSize, 160);
    QCOMPARE(loaded->info().training.at("steps").asInt(), int64_t(10));
    const std::vector<float> audio = testAudio(model->contract());
    QCOMPARE(loaded->localize(testFrame(80, 60), audio).scores,
             model->localize(testFrame(80, 60), audio).scores);
    // fp16 storage: close, not equal.
    const std::string half = dir.filePath("h.safetensors").toStdString();
    model->save(half, DType::F16);
    const Heatmap h16 = LocalizationModel::load(half)->localize(testFrame(80, 60), audio);
    const Heatmap h32 = model->localize(testFrame(80, 60), audio);
    for (size_t i = 0; i < h16.scores.size(); ++i) {
      QVERIFY(std::fabs(h16.scores[i] - h32.scores[i]) < 0.02f);
    }
    QVERIFY(QFileInfo(QString::fromStdString(half)).size() <
            QFileInfo(QString::fromStdString(path)).size() * 0.6);
  }

  // The models committed to resources/models (what the app's views start with): one per method,
  // each a trained small fp16 checkpoint without training-only heads, with its training record
  // and test table; the six stay within the repository's budget.
  void shippedModelsAreTrainedAndSmall() {
    const std::string folder =
        qEnvironmentVariable("HEARDMAP_TEST_SOURCES").toStdString() + "/../resources/models";
    const std::vector<std::string> files = shippedModels(folder);
    std::vector<std::string> methods;
    uintmax_t totalBytes = 0;
    for (const std::string& file : files) {
      auto model = LocalizationModel::load(file);
      const CheckpointInfo& info = model->info();
      QVERIFY2(info.trained, file.c_str());
      QCOMPARE(info.config.variantName(), std::string("small"));
      QCOMPARE(std::filesystem::path(file).filename().string(),
               info.config.method + "-small.safetensors");
      QVERIFY(info.training.at("steps_done").asInt() > 0);
      QVERIFY(!info.training.at("device").asString().empty());
      QVERIFY(info.training.at("wall_seconds").asNumber() > 0.0);
      QVERIFY(info.metrics.at("positive").contains("ciou50_relative"));
      QVERIFY(info.metrics.contains("slavc_max_f1"));
      for (const auto& [name, tensor] : loadSafetensors(file).tensors) {
        QVERIFY2(tensor.dtype != DType::F32, name.c_str());  // fp16 (counters stay int64)
        QVERIFY2(!LocalizationModel::isTrainingOnlyTensor(name), name.c_str());
      }
      methods.push_back(info.config.method);
      totalBytes += std::filesystem::file_size(file);
      qInfo("%s: %s", info.config.method.c_str(), info.provenance().c_str());
      // The panel line says what it was trained on (issue 20: not real video).
      QVERIFY2(info.provenance().find("on synthetic scenes (not real video") != std::string::npos,
               info.provenance().c_str());
    }
    std::vector<std::string> trainable;  // one shipped model per method heardmap-train has
    for (const MethodInfo& row : heardmap::methods()) {
      if (row.trainable()) {
        trainable.push_back(row.name);
      }
    }
    QCOMPARE(methods, trainable);
    qInfo("the six: %.2f MB (%.2f MiB)", static_cast<double>(totalBytes) / 1e6,
          static_cast<double>(totalBytes) / (1024.0 * 1024.0));
    QVERIFY(totalBytes <= kShippedBudgetBytes);
  }

  // The line the panel shows about a checkpoint's weights, from its training and metrics records.
  void provenanceSummarisesTheRecords() {
    CheckpointInfo info;
    QCOMPARE(info.provenance(), std::string("untrained"));
    info.trained = true;
    QCOMPARE(info.provenance(), std::string("trained"));  // e.g. an imported .pth
    info.training = Json::parse(
        R"({"steps_done": 2400, "device": "cpu (2 threads), fp32, scenes rendered on the CPU",
            "wall_seconds": 1449.6})");
    QCOMPARE(info.provenance(), std::string("trained 2400 steps on cpu (2 threads) in 24 min"));
    info.metrics = Json::parse(
        R"({"samples_per_condition": 50, "positive": {"ciou50_relative": 8, "auc_relative": 22.14}})");
    QCOMPARE(info.provenance(),
             std::string("trained 2400 steps on cpu (2 threads) in 24 min; test split (50 scenes "
                         "per condition): cIoU@0.5 8.0, AUC 22.1"));
    info.training = Json::parse(R"({"steps_done": 3, "device": "cuda, bf16 autocast",
                                    "wall_seconds": 2})");
    QCOMPARE(info.provenance().substr(0, 30), std::string("trained 3 steps on cuda in 1 m"));
    info.training = Json::parse(R"({"steps_done": 1200, "init": "/x/models/ezvsl-small.safetensors",
                                    "device": "cpu (1 threads), fp32", "wall_seconds": 1306})");
    QCOMPARE(info.provenance().substr(0, 78),
             std::string("trained 1200 steps from ezvsl-small.safetensors on cpu (1 threads) in 22 "
                         "min; "));
  }

  void badCheckpointsGiveClearErrors() {
    QTemporaryDir dir;
    auto model = compactModel(3);
    const std::string path = dir.filePath("m.safetensors").toStdString();
    model->save(path);
    // Truncated file.
    const std::string bytes = readFile(path);
    const std::string truncated = dir.filePath("t.safetensors").toStdString();
    writeFileAtomically(truncated, bytes.substr(0, bytes.size() / 2));
    try {
      LocalizationModel::load(truncated);
      QFAIL("loaded a truncated file");
    } catch (const CheckpointError& e) {
      QVERIFY2(QString(e.what()).contains("t.safetensors"), e.what());
    }
    // A shape mismatch names the tensor and both shapes, and leaves the model untouched.
    SafetensorsFile file = loadSafetensors(path);
    std::vector<float> wrong(64 * 3 * 7 * 7, 0.0f);
    file.tensors["imgnet.conv1.weight"] = TensorData::fromFloat({64, 3, 7, 7}, wrong.data());
    const std::string mismatched = dir.filePath("w.safetensors").toStdString();
    saveSafetensors(mismatched, file);
    try {
      LocalizationModel::load(mismatched);
      QFAIL("loaded mismatched shapes");
    } catch (const CheckpointError& e) {
      QVERIFY2(
          QString(e.what()).contains(
              "'imgnet.conv1.weight' has shape [64, 3, 7, 7] but the model expects [32, 3, 7, 7]"),
          e.what());
    }
    const std::vector<float> audio = testAudio(model->contract());
    const Heatmap before = model->localize(testFrame(64, 48), audio);
    QVERIFY_THROWS_EXCEPTION(CheckpointError, model->loadWeights(file.tensors, false));
    QCOMPARE(model->localize(testFrame(64, 48), audio).scores, before.scores);
    // Missing tensors are listed.
    file = loadSafetensors(path);
    file.tensors.erase("aud_proj.weight");
    saveSafetensors(mismatched, file);
    try {
      LocalizationModel::load(mismatched);
      QFAIL("loaded with a missing tensor");
    } catch (const CheckpointError& e) {
      QVERIFY2(QString(e.what()).contains("aud_proj.weight"), e.what());
    }
  }

  // Heardmap's own weights re-saved with the real torch.save, as EZ-VSL's train.py saves them
  // ({"model": DDP state dict, "optimizer", "epoch", numpy scores}), zip and legacy, fp32 and fp16,
  // and as LVS saves them ({"model_state_dict": ...}): each loads and gives the same map.
  void importsPthCheckpointsSavedByTorch() {
    QTemporaryDir dir;
    auto model = compactModel(4);
    const QString source = dir.filePath("source.safetensors");
    SafetensorsFile file;
    file.tensors = model->stateDict();
    saveSafetensors(source.toStdString(), file);
    const std::vector<float> audio = testAudio(model->contract());
    auto reference = LocalizationModel::createUntrained(ModelConfig::compact(),
                                                        PreprocessingContract::ezvsl(), 4);
    const auto expected = reference->localize(testFrame(96, 64), audio).scores;
    const QList<QStringList> layouts = {{"--layout", "ezvsl"},
                                        {"--layout", "ezvsl", "--legacy"},
                                        {"--layout", "lvs"},
                                        {"--layout", "state_dict", "--half"}};
    for (const QStringList& layout : layouts) {
      const QString path = dir.filePath(layout.join("").remove('-') + ".pth");
      const QString failure = realTorchSave(source, path, layout);
      QVERIFY2(failure.isEmpty(), qPrintable(failure));
      auto loaded = LocalizationModel::load(path.toStdString());
      QVERIFY(loaded->info().trained);
      QCOMPARE(loaded->info().config.baseWidth, 32);
      QCOMPARE(loaded->info().config.embedDim, 128);
      // .pth files carry no contract: the EZ-VSL one (224 px) applies.
      QCOMPARE(loaded->contract().imageSize, 224);
      const auto scores = loaded->localize(testFrame(96, 64), audio).scores;
      QCOMPARE(scores.size(), expected.size());
      const float tolerance = layout.contains("--half") ? 0.05f : 0.0f;
      for (size_t i = 0; i < scores.size(); ++i) {
        QVERIFY2(std::abs(scores[i] - expected[i]) <= tolerance, qPrintable(layout.join(" ")));
      }
      const QString source = QString::fromStdString(loaded->info().source);
      if (layout.contains("ezvsl")) {
        QVERIFY2(source.contains("weights under 'model'") && source.contains("'module.' removed"),
                 qPrintable(source));
      }
    }
  }

  // torchvision's own ResNet-18 state dict (saved by torchvision in the fixtures) initialises the
  // visual trunk.
  void importsTorchvisionBackbones() {
    const std::string path = fixture("pth/resnet18.pth").toStdString();
    auto loaded = LocalizationModel::load(path);
    QVERIFY(!loaded->info().trained);
    QVERIFY(QString::fromStdString(loaded->info().source).contains("visual backbone only"));
    const StateDict got = loaded->stateDict();
    QCOMPARE(got.at("imgnet.layer3.1.conv2.weight").bytes,
             readPth(path).tensors.at("layer3.1.conv2.weight").bytes);
  }

  void rejectsBrokenPthFiles() {
    QTemporaryDir dir;
    const std::string garbage = dir.filePath("garbage.pth").toStdString();
    writeFileAtomically(garbage, std::string(1000, 'x'));
    try {
      LocalizationModel::load(garbage);
      QFAIL("loaded garbage");
    } catch (const CheckpointError& e) {
      QVERIFY2(QString(e.what()).contains("not a PyTorch file"), e.what());
    }
    const std::string bytes = readFile(fixture("pth/resnet18.pth").toStdString());
    const std::string truncated = dir.filePath("cut.pth").toStdString();
    writeFileAtomically(truncated, bytes.substr(0, bytes.size() / 3));
    QVERIFY_THROWS_EXCEPTION(CheckpointError, LocalizationModel::load(truncated));
    // A file that is not a model of ours names the first missing tensor.
    try {
      LocalizationModel::load(fixture("pth/plain.pth").toStdString());
      QFAIL("loaded a conv+bn+linear state dict as a localization model");
    } catch (const CheckpointError& e) {
      QVERIFY2(QString(e.what()).contains("plain.pth"), e.what());
    }
  }

  // Requests arriving faster than inference are replaced (latest wins); the last one is served.
  void workerIsLatestWins() {
    InferenceWorker worker;
    std::shared_ptr<LocalizationModel> model = compactModel(1);
    const uint64_t generation = worker.setModels({model});
    const std::vector<float> audio = testAudio(model->contract());
    for (int i = 0; i < 20; ++i) {
      worker.submit({testFrame(64, 48, i * 0.04), {audio}, generation});
    }
    std::optional<InferenceResult> last;
    QVERIFY(heardmap::test::waitUntil(
        [&] {
          std::optional<InferenceResult> result = worker.takeResult();
          if (result) {
            last = result;
          }
          return last && last->timeSeconds > 0.75;
        },
        10000));
    QCOMPARE(last->timeSeconds, 19 * 0.04);
    QVERIFY(worker.droppedRequests() > 0);
    QVERIFY(last->errors.at(0).empty());
    QCOMPARE(last->heatmaps.at(0).timeSeconds, 19 * 0.04);
  }

  // Views whose models share the visual network run it once per frame, and get the same maps as
  // separate localize() calls. Results of a replaced model set are never delivered.
  void workerSharesVisualNetwork() {
    std::shared_ptr<LocalizationModel> a = compactModel(1);
    std::shared_ptr<LocalizationModel> sameWeights = compactModel(1);  // a second copy
    std::shared_ptr<LocalizationModel> other = compactModel(2);
    QCOMPARE(a->visualFingerprint(), sameWeights->visualFingerprint());
    QVERIFY(a->visualFingerprint() != other->visualFingerprint());

    const RgbImage frame = testFrame(96, 64, 1.0);
    const std::vector<float> audio = testAudio(a->contract());
    std::vector<float> quiet(audio.size(), 0.0f);
    InferenceWorker worker;
    const uint64_t generation = worker.setModels({a, sameWeights, a, other});
    QCOMPARE(worker.distinctVisualNetworks(), 2);
    worker.submit({frame, {audio, audio, quiet, audio}, generation});
    std::optional<InferenceResult> result;
    QVERIFY(heardmap::test::waitUntil([&] { return (result = worker.takeResult()).has_value(); },
                                      10000));
    QCOMPARE(result->visualPasses, 2);
    QCOMPARE(result->heatmaps.size(), size_t{4});
    QCOMPARE(result->heatmaps[0].scores, a->localize(frame, audio).scores);
    QCOMPARE(result->heatmaps[1].scores, result->heatmaps[0].scores);
    QCOMPARE(result->heatmaps[2].scores, a->localize(frame, quiet).scores);
    QCOMPARE(result->heatmaps[3].scores, other->localize(frame, audio).scores);

    // Features of another visual network are refused.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             other->localizeWith(*a->encodeVisual(frame), audio));
    // A wrong-length window fails that view only, with a message.
    worker.submit({frame, {audio, std::vector<float>(10), audio, audio}, generation});
    QVERIFY(heardmap::test::waitUntil([&] { return (result = worker.takeResult()).has_value(); },
                                      10000));
    QVERIFY(result->errors[1].find("samples") != std::string::npos);
    QVERIFY(!result->heatmaps[0].empty() && result->heatmaps[1].empty());

    // A request made for the previous model set is dropped.
    worker.submit({frame, {audio}, generation});
    worker.setModels({other});
    QTest::qWait(300);
    QVERIFY(!worker.takeResult().has_value());
  }
};

QTEST_APPLESS_MAIN(TestModels)
#include "tst_Models.moc"
