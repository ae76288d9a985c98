// The training runs: each method trains, evaluates and ships on the tiny pack; fine-tuning from a
// checkpoint (across networks too), clip packs, data threads, device synthesis and channels-last
// give the same model. Hand cases of the objectives are in tst_Objectives; saving, resuming and
// stopping in tst_TrainerSaves.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/AtomicFile.h"
#include "core/Safetensors.h"
#include "core/data/AssetPack.h"
#include "core/data/ClipPack.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TinyPack.h"
#include "trainer/OptimizerState.h"
#include "trainer/ShipCheckpoint.h"
#include "trainer/TestSplitMetrics.h"
#include "trainer/Trainer.h"

using namespace heardmap;

namespace {

// A 64 x 64 picture with structure, and a 3 s tone at 16 kHz: inputs to look at a map with.
RgbImage patternFrame() {
  RgbImage frame;
  frame.width = frame.height = 64;
  for (int i = 0; i < 64 * 64; ++i) {
    frame.pixels.insert(frame.pixels.end(), {uint8_t(i % 251), uint8_t(i / 64 * 3), 90});
  }
  return frame;
}
std::vector<float> toneWindow() {
  std::vector<float> tone(48000);
  for (size_t k = 0; k < tone.size(); ++k) {
    tone[k] = 0.3f * static_cast<float>(std::sin(0.05 * static_cast<double>(k)));
  }
  return tone;
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void fnacTrainsWithWarmupAndDropout() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--out", dir.filePath("f.safetensors").toStdString(), "--method", "fnac",
         "--warmup-steps", "1", "--steps", "3", "--batch", "4", "--eval-per-condition", "1"});
    QCOMPARE(config.weightDecay, 1e-4);
    const TrainingSummary summary = train(config, [](const std::string&) {});
    QCOMPARE(summary.stepsDone, int64_t(3));
    QVERIFY(std::isfinite(summary.finalLoss));
    auto model = LocalizationModel::load(config.outputPath);
    QCOMPARE(model->info().config.method, std::string("fnac"));
    QCOMPARE(model->info().training.at("image_dropout").asNumber(), 0.9);
  }

  // Fine-tuning another method from a checkpoint: the new method, the base's size and padding,
  // and the base named in the record and the panel's provenance line.
  void fineTunesFromACheckpointAndRecordsIt() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const std::string base = dir.filePath("base.safetensors").toStdString();
    train(TrainingConfig::fromArguments({"--pack", pack, "--out", base, "--variant", "small",
                                         "--image-padding", "circular", "--steps", "1", "--batch",
                                         "2", "--eval-per-condition", "1"}),
          [](const std::string&) {});
    const std::string tuned = dir.filePath("tuned.safetensors").toStdString();
    train(TrainingConfig::fromArguments({"--pack", pack, "--out", tuned, "--method", "fnac",
                                         "--init", base, "--warmup-steps", "0", "--steps", "1",
                                         "--batch", "2", "--eval-per-condition", "1"}),
          [](const std::string&) {});
    const auto model = LocalizationModel::load(tuned);
    QCOMPARE(model->info().config.method, std::string("fnac"));
    QCOMPARE(model->info().config.variantName(), std::string("small"));
    QCOMPARE(model->info().training.at("variant").asString(), std::string("small"));
    QCOMPARE(model->info().training.at("image_padding").asString(), std::string("circular"));
    QCOMPARE(model->info().training.at("init").asString(), base);
    QVERIFY(QString::fromStdString(model->info().provenance())
                .startsWith("trained 1 steps from base.safetensors on cpu"));
  }

  // Any method fine-tunes from any method's checkpoint (the pane offers every pair). SSPL's
  // network has modules the other five lack (PCM, audio head, SimSiam head): from an EZ-VSL base
  // it takes the shared trunks and heads and starts those fresh; an EZ-VSL run from an SSPL base
  // leaves them out. The run says which, and the shared weights are the base's (one Adam step
  // moves each by about lr, where a fresh initialisation would differ by far more).
  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void fineTunesAcrossTheSsplNetwork() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    std::vector<std::string> lines;  // the last run's progress
    const auto run = [&](const std::string& method, const std::string& init, const std::string& out,
                         const std::vector<std::string>& extra = {}) {
      std::vector<std::string> args = {
          "--pack",  pack,        "--out", out,       "--method",
          method,    "--variant", "small", "--steps", "1",
          "--batch", "2",         "--lr",  "1e-4",    "--eval-per-condition",
          "1"};
      args.insert(args.end(), extra.begin(), extra.end());  // flags given later win
      if (!init.empty()) {
        args.insert(args.end(), {"--init", init});
      }
      lines.clear();
      train(TrainingConfig::fromArguments(args),
            [&](const std::string& line) { lines.push_back(line); });
      const auto said = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
        return line.rfind("--init ", 0) == 0;
      });
      return said == lines.end() ? std::string() : *said;
    };
    const auto tensor = [](const std::string& path, const std::string& name) {
      return LocalizationModel::load(path)->stateDict().at(name).toFloat();
    };
    const auto maxDifference = [](const std::vector<float>& a, const std::vector<float>& b) {
      float most = 0.0f;
      for (size_t i = 0; i < a.size(); ++i) {
        most = std::max(most, std::abs(a[i] - b[i]));
      }
      return most;
    };
    const std::string base = dir.filePath("ezvsl.safetensors").toStdString();
    const std::string sspl = dir.filePath("sspl.safetensors").toStdString();
    const std::string back = dir.filePath("back.safetensors").toStdString();
    QCOMPARE(run("ezvsl", "", base), std::string());

    const std::string toSspl = run("sspl", base, sspl);
    QVERIFY2(
        toSspl.find("(ezvsl): 244 tensors; new for sspl: aud_fc (4), pcm (") != std::string::npos,
        toSspl.c_str());
    const auto model = LocalizationModel::load(sspl);
    QCOMPARE(model->info().config.method, std::string("sspl"));
    QCOMPARE(model->info().config.layer4Stride, 2);  // the base's trunk, not SSPL's stride 1
    const std::vector<std::string> names = model->parameterNames();
    QVERIFY(std::find(names.begin(), names.end(), "pcm.a0_0") != names.end());
    const std::vector<float> before = tensor(base, "audnet.conv1.weight");
    QVERIFY(maxDifference(before, tensor(sspl, "audnet.conv1.weight")) < 2e-3f);
    const auto fresh =
        LocalizationModel::createUntrained(model->info().config, model->contract(), 5);
    QVERIFY(maxDifference(before, fresh->stateDict().at("audnet.conv1.weight").toFloat()) > 0.05f);
    QCOMPARE(model->localize(patternFrame(), toneWindow()).width, 5);

    const std::string fromSspl = run("ezvsl", sspl, back);
    QVERIFY2(fromSspl.find("(sspl): 244 tensors; left out: aud_fc (4), pcm (") != std::string::npos,
             fromSspl.c_str());
    const std::vector<std::string> backNames = LocalizationModel::load(back)->parameterNames();
    QVERIFY(std::none_of(backNames.begin(), backNames.end(),
                         [](const std::string& n) { return n.rfind("pcm.", 0) == 0; }));
    QVERIFY(maxDifference(tensor(sspl, "imgnet.conv1.weight"),
                          tensor(back, "imgnet.conv1.weight")) < 2e-3f);
    // Within one network family the base is taken whole. Trunk flags change the base's trunk
    // (the weights keep their shapes) and the run names the change.
    const std::string lvs = dir.filePath("lvs.safetensors").toStdString();
    const std::string toLvs =
        run("lvs", base, lvs, {"--layer4-stride", "1", "--image-padding", "circular"});
    QCOMPARE(toLvs, "--init " + base +
                        " (ezvsl): every tensor; layer4 stride 1 (the base's 2); circular image "
                        "padding (the base's zeros)");
    const auto strided = LocalizationModel::load(lvs);
    QCOMPARE(strided->info().config.layer4Stride, 1);
    QCOMPARE(strided->info().config.imagePadding, std::string("circular"));
    QCOMPARE(strided->mapSize(), 2 * model->mapSize());
    QVERIFY(maxDifference(before, tensor(lvs, "audnet.conv1.weight")) < 2e-3f);
    QCOMPARE(strided->localize(patternFrame(), toneWindow()).width, strided->mapSize());
    QCOMPARE(run("lvs", base, lvs, {"--image-padding", "zeros", "--layer4-stride", "2"}),
             "--init " + base + " (ezvsl): every tensor");

    // --freeze-trunks: SSPL's fresh PCM learns on the base's trunks first. While frozen the trunks
    // keep the base's weights and batch-norm statistics exactly; the projections train.
    const auto said = [&](const std::string& text) {
      return std::find(lines.begin(), lines.end(), text) != lines.end();
    };
    run("sspl", base, sspl, {"--freeze-trunks", "2", "--steps", "2"});
    QVERIFY(said("--freeze-trunks 2: imgnet and audnet frozen until step 2"));
    for (const char* name : {"imgnet.layer4.1.conv2.weight", "imgnet.bn1.running_mean",
                             "audnet.conv1.weight", "audnet.layer2.0.bn1.running_var"}) {
      QVERIFY2(tensor(sspl, name) == tensor(base, name), name);
    }
    QVERIFY(maxDifference(tensor(base, "aud_proj.weight"), tensor(sspl, "aud_proj.weight")) > 0);
    const Json record = LocalizationModel::load(sspl)->info().training;
    QCOMPARE(record.numberOr("freeze_trunk_steps", 0), 2.0);
    QVERIFY(record.stringOr("init_report", "").find("new for sspl: aud_fc (4)") !=
            std::string::npos);
    run("sspl", base, sspl, {"--resume", "--steps", "3"});  // the record keeps what --init took
    QCOMPARE(LocalizationModel::load(sspl)->info().training.stringOr("init_report", ""),
             record.stringOr("init_report", ""));
    run("sspl", base, sspl, {"--freeze-trunks", "1", "--steps", "2"});
    QVERIFY(said("step 1: imgnet and audnet train from here"));
    QVERIFY(maxDifference(tensor(base, "imgnet.layer4.1.conv2.weight"),
                          tensor(sspl, "imgnet.layer4.1.conv2.weight")) > 0);
    QVERIFY(tensor(base, "imgnet.bn1.running_mean") != tensor(sspl, "imgnet.bn1.running_mean"));
  }

  void marginNceTrainsAndIsRecorded() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--out", dir.filePath("m.safetensors").toStdString(), "--method",
         "marginnce", "--margin", "-0.3", "--steps", "2", "--batch", "4", "--eval-per-condition",
         "1", "--half"});
    const TrainingSummary summary = train(config, [](const std::string&) {});
    QCOMPARE(summary.stepsDone, int64_t(2));
    auto model = LocalizationModel::load(config.outputPath);
    QCOMPARE(model->info().config.method, std::string("marginnce"));
    QCOMPARE(model->info().training.at("margin").asNumber(), -0.3);
    // --half: the weights are stored as fp16 (the shipped models' format).
    QCOMPARE(loadSafetensors(config.outputPath).tensors.at("img_proj.weight").dtype, DType::F16);
    QCOMPARE(model->info().training.at("stored_as").asString(), std::string("fp16"));
  }

  void sslSanTrainsWithSilenceAndNoiseNegatives() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--out", dir.filePath("s.safetensors").toStdString(), "--method", "sslsan",
         "--negative-ratio", "0.5", "--steps", "2", "--batch", "4", "--eval-per-condition", "1"});
    const TrainingSummary summary = train(config, [](const std::string&) {});
    QCOMPARE(summary.stepsDone, int64_t(2));
    auto model = LocalizationModel::load(config.outputPath);
    QCOMPARE(model->info().config.method, std::string("sslsan"));
    QVERIFY(model->info().training.at("recipe").asString().rfind("provisional", 0) == 0);
    QVERIFY(model->info().training.at("provisional").asBool());
  }

  // LVS's stride-1 trunks, here with circular padding: both are recorded in the checkpoint.
  void lvsTrainsWithStrideOneTrunks() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--out", dir.filePath("l.safetensors").toStdString(), "--method", "lvs",
         "--steps", "2", "--batch", "4", "--eval-per-condition", "1", "--image-padding",
         "circular"});
    const TrainingSummary summary = train(config, [](const std::string&) {});
    QCOMPARE(summary.stepsDone, int64_t(2));
    QVERIFY(std::isfinite(summary.finalLoss));
    auto model = LocalizationModel::load(config.outputPath);
    QCOMPARE(model->info().config.method, std::string("lvs"));
    QCOMPARE(model->info().config.layer4Stride, 1);
    QCOMPARE(model->mapSize(), 10);  // 160 px compact: 160 / 16
    QCOMPARE(model->info().config.imagePadding, std::string("circular"));
    QCOMPARE(model->info().training.at("image_padding").asString(), std::string("circular"));
    RgbImage frame;
    frame.width = frame.height = 64;
    frame.pixels.assign(64 * 64 * 3, 100);
    QCOMPARE(model->localize(frame, std::vector<float>(48000, 0.1f)).width, 10);
  }

  // The test split runs each scene's visual and audio pass on parallel lanes of one torch thread
  // each; the table is the one of the passes run one after the other on one thread.
  void testSplitOnLanesIsTheSerialTable() {
    QTemporaryDir dir;
    const AssetPack pack = AssetPack::load(heardmap::test::savedTinyPack(dir));
    const std::unique_ptr<LocalizationModel> model = LocalizationModel::open("");
    const SceneSynthesizer test = testSplitScenes(pack, model->contract());
    LocalizationModel::setThreadCount(1);
    const std::string serial = compactMetrics(evaluateTestSplit(*model, test, 4)).dump();
    LocalizationModel::setThreadCount(2);
    const std::string lanes = compactMetrics(evaluateTestSplit(*model, test, 4)).dump();
    QCOMPARE(lanes, serial);
    QVERIFY2(serial.find("\"positive\"") != std::string::npos, serial.c_str());
    // The table tells models apart: another seed's weights give another one.
    const auto other =
        LocalizationModel::createUntrained(model->info().config, model->contract(), 2);
    QVERIFY(compactMetrics(evaluateTestSplit(*other, test, 4)).dump() != serial);
  }

  // SSPL trains negative-free through the PCM and its map, audio-conditioned before the cosine,
  // comes out of the saved checkpoint.
  void ssplTrainsAndLocalisesThroughThePcm() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--out", dir.filePath("p.safetensors").toStdString(), "--method", "sspl",
         "--steps", "3", "--batch", "4", "--eval-per-condition", "1"});
    const TrainingSummary summary = train(config, [](const std::string&) {});
    QCOMPARE(summary.stepsDone, int64_t(3));
    QVERIFY(std::isfinite(summary.finalLoss));
    QVERIFY(summary.finalLoss >= -1.0 && summary.finalLoss <= 1.0);  // a negative cosine
    auto model = LocalizationModel::load(config.outputPath);
    QCOMPARE(model->info().config.method, std::string("sspl"));
    QVERIFY(model->info().training.at("provisional").asBool());
    const std::vector<std::string> names = model->parameterNames();
    QVERIFY(std::find(names.begin(), names.end(), "pcm.a0_0") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "sspl_projector.0.weight") != names.end());
    const RgbImage frame = patternFrame();
    const std::vector<float> tone = toneWindow();
    const Heatmap withTone = model->localize(frame, tone);
    QCOMPARE(withTone.width, 10);  // stride-1 layer4 at 160 px
    for (float v : withTone.scores) {
      QVERIFY(v >= -1.0001f && v <= 1.0001f);
    }
    // The same visual features heard with other audio give another map (the PCM takes the audio).
    const auto visual = model->encodeVisual(frame);
    QVERIFY(model->localizeWith(*visual, std::vector<float>(48000, 0.0f)).scores !=
            model->localizeWith(*visual, tone).scores);
  }

  // The shipped form (--ship): the small variant in fp16 without SSPL's SimSiam heads, which only
  // the loss reads: the map is unchanged without them, the file loses a quarter of its size, and a
  // resumed run restarts the heads.
  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void shippedModelsLeaveOutTrainingHeads() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const std::string full = dir.filePath("full.safetensors").toStdString();
    train(TrainingConfig::fromArguments({"--pack", pack, "--out", full, "--method", "sspl",
                                         "--variant", "small", "--steps", "2", "--batch", "4",
                                         "--eval-per-condition", "1"}),
          [](const std::string&) {});
    auto model = LocalizationModel::load(full);
    QCOMPARE(model->info().config.variantName(), std::string("small"));
    const std::string trimmed = dir.filePath("trimmed.safetensors").toStdString();
    model->save(trimmed, DType::F32, /*inferenceOnly=*/true);
    const SafetensorsFile file = loadSafetensors(trimmed);
    for (const auto& [name, tensor] : file.tensors) {
      QVERIFY2(!LocalizationModel::isTrainingOnlyTensor(name), name.c_str());
    }
    QVERIFY(loadSafetensors(full).tensors.count("sspl_projector.0.weight") == 1);
    qInfo("sspl small: %lld bytes with the heads, %lld without",
          static_cast<long long>(std::filesystem::file_size(full)),
          static_cast<long long>(std::filesystem::file_size(trimmed)));
    QVERIFY(std::filesystem::file_size(trimmed) * 4 < std::filesystem::file_size(full) * 3);
    auto reloaded = LocalizationModel::load(trimmed);
    const RgbImage frame = patternFrame();
    const std::vector<float> tone = toneWindow();
    QCOMPARE(reloaded->localize(frame, tone).scores, model->localize(frame, tone).scores);

    // The trainer's --ship: fp16, no heads, recorded; --resume goes on from it.
    const std::string shipped = dir.filePath("shipped.safetensors").toStdString();
    const auto ship = [&](const std::string& steps, bool resume) {
      TrainingConfig config = TrainingConfig::fromArguments(
          {"--pack", pack, "--out", shipped, "--method", "sspl", "--variant", "small", "--steps",
           steps, "--batch", "4", "--eval-per-condition", "1", "--ship"});
      config.resume = resume;
      return train(config, [](const std::string&) {});
    };
    ship("2", false);
    QVERIFY(loadSafetensors(shipped).tensors.count("sspl_projector.0.weight") == 0);
    QCOMPARE(loadSafetensors(shipped).tensors.at("pcm.a0_0").dtype, DType::F16);
    QCOMPARE(LocalizationModel::load(shipped)->info().training.at("stored_as").asString(),
             std::string("fp16, without training-only heads"));
    QCOMPARE(ship("3", true).stepsDone, int64_t(3));

    // heardmap-train ship: a finished fp32 run rewritten in the same form, its record kept.
    const std::string converted = dir.filePath("converted.safetensors").toStdString();
    QVERIFY(shipCheckpoint(full, converted) * 4 < std::filesystem::file_size(full) * 3);
    const SafetensorsFile convertedFile = loadSafetensors(converted);
    QVERIFY(convertedFile.tensors.count("sspl_projector.0.weight") == 0);
    QCOMPARE(convertedFile.tensors.at("pcm.a0_0").dtype, DType::F16);
    auto convertedModel = LocalizationModel::load(converted);
    QCOMPARE(convertedModel->info().training.at("stored_as").asString(),
             std::string("fp16, without training-only heads"));
    QCOMPARE(convertedModel->info().training.at("shipped_from").asString(),
             std::string("full.safetensors"));
    QCOMPARE(convertedModel->info().training.at("steps_done").asInt(), int64_t(2));
    QCOMPARE(convertedModel->info().metrics.dump(), model->info().metrics.dump());
    const std::vector<float> before = model->localize(frame, tone).scores;
    const std::vector<float> after = convertedModel->localize(frame, tone).scores;
    QCOMPARE(after.size(), before.size());
    for (size_t k = 0; k < before.size(); ++k) {
      QVERIFY2(std::abs(after[k] - before[k]) < 2e-2f, std::to_string(k).c_str());
    }
    // With a fresh test table of the fp16 weights, on more scenes.
    const std::string evaluated = dir.filePath("evaluated.safetensors").toStdString();
    ShipOptions reevaluate;
    reevaluate.packPath = pack;
    reevaluate.evalPerCondition = 3;
    shipCheckpoint(full, evaluated, reevaluate);
    const Json table = LocalizationModel::load(evaluated)->info().metrics;
    QCOMPARE(table.at("samples_per_condition").asInt(), int64_t(3));
    QCOMPARE(model->info().metrics.at("samples_per_condition").asInt(), int64_t(1));
    QVERIFY(table.at("positive").contains("ciou50_relative"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             shipCheckpoint(full, evaluated, ShipOptions{"", 3}));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             shipCheckpoint(dir.filePath("absent.safetensors").toStdString(),
                                            dir.filePath("x.safetensors").toStdString()));
    QVERIFY(!std::filesystem::exists(dir.filePath("x.safetensors").toStdString()));
    // The same from the command line.
    const QString trainer = qEnvironmentVariable("HEARDMAP_TRAINER");
    QVERIFY(!trainer.isEmpty());
    QProcess cli;
    cli.start(trainer,
              {"ship", QString::fromStdString(full), "--out", dir.filePath("cli.safetensors")});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(
        loadSafetensors(dir.filePath("cli.safetensors").toStdString()).tensors.at("pcm.a0_0").dtype,
        DType::F16);
    cli.start(trainer, {"ship", QString::fromStdString(full)});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY(cli.readAllStandardError().contains("usage"));
    // A bad count is an error that names the flag (strtol took "-3" and "9x" before).
    cli.start(trainer, {"ship", QString::fromStdString(full), "--out", dir.filePath("n.st"),
                        "--eval-per-condition", "-3"});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY(cli.readAllStandardError().contains("--eval-per-condition must be in [0, 100000]"));
  }

  // The small variant (the shipped models'): 3/8-width trunks, D = 128, 160 px.
  void smallVariantFitsTheShippingBudget() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const std::string out = dir.filePath("small.safetensors").toStdString();
    train(TrainingConfig::fromArguments({"--pack", pack, "--out", out, "--variant", "small",
                                         "--steps", "1", "--batch", "2", "--eval-per-condition",
                                         "1", "--ship"}),
          [](const std::string&) {});
    auto model = LocalizationModel::load(out);
    QCOMPARE(model->info().config.baseWidth, 24);
    QCOMPARE(model->info().contract.imageSize, 160);
    qInfo("small variant: %lld parameters, %lld bytes in fp16",
          static_cast<long long>(model->parameterCount()),
          static_cast<long long>(std::filesystem::file_size(out)));
    // Six such models (one per method) stay under the repository's 40 MB budget.
    QVERIFY(std::filesystem::file_size(out) * 6 < 40'000'000);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--variant", "tiny"}));
  }

  // Training on pairs from the user's videos (a clip pack); the test split is still synthetic.
  void trainsOnAClipPack() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    ClipPack clips;
    for (int i = 0; i < 5; ++i) {
      ClipSample s;
      s.source = "video" + std::to_string(i % 2) + ".mp4";
      s.frame.width = 80 + 10 * i;
      s.frame.height = 60;
      s.frame.pixels.assign(static_cast<size_t>(s.frame.width) * 60 * 3, uint8_t(40 * i));
      s.audio.assign(48000, 0.0f);
      for (size_t k = 0; k < s.audio.size(); ++k) {
        s.audio[k] = 0.3f * static_cast<float>(std::sin(0.01 * (i + 1) * static_cast<double>(k)));
      }
      clips.samples.push_back(s);
    }
    const std::string clipsPath = dir.filePath("clips.safetensors").toStdString();
    clips.save(clipsPath);
    TrainingConfig config = TrainingConfig::fromArguments(
        {"--pack", pack, "--clips", clipsPath, "--out", dir.filePath("c.safetensors").toStdString(),
         "--steps", "2", "--batch", "4", "--eval-per-condition", "1"});
    QStringList lines;
    const TrainingSummary summary =
        train(config, [&](const std::string& line) { lines << QString::fromStdString(line); });
    QCOMPARE(summary.stepsDone, int64_t(2));
    QVERIFY(lines.join('\n').contains("5 frames from 2 videos"));
    auto model = LocalizationModel::load(config.outputPath);
    QVERIFY(model->info().training.at("data").asString().find(clipsPath) != std::string::npos);
    // A pack made for another window length is refused with both numbers.
    clips.windowSeconds = 1.0;
    for (ClipSample& s : clips.samples) {
      s.audio.resize(16000);
    }
    clips.save(clipsPath);
    try {
      train(config, [](const std::string&) {});
      QFAIL("trained on mismatched windows");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("1.0") != std::string::npos, e.what());
    }
  }

  // Scenes synthesised on 4 threads give the same batches, so the same weights, as on 1.
  void dataThreadsDoNotChangeTheRun() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const auto run = [&](const std::string& out, const std::string& dataThreads) {
      train(TrainingConfig::fromArguments(
                {"--pack", pack, "--out", out, "--steps", "2", "--batch", "6", "--threads", "1",
                 "--synthesis", "cpu", "--data-threads", dataThreads, "--eval-per-condition", "1"}),
            [](const std::string&) {});
      return LocalizationModel::load(out)->stateDict();
    };
    const StateDict one = run(dir.filePath("one.safetensors").toStdString(), "1");
    const StateDict four = run(dir.filePath("four.safetensors").toStdString(), "4");
    for (const auto& [name, tensor] : one) {
      QVERIFY2(tensor.bytes == four.at(name).bytes, name.c_str());
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--data-threads", "0"}));
  }

  // Scenes rendered on the training device (what CUDA runs use; here the CPU device): a run is
  // reproducible from its seed, every method's extra negatives included, and it learns from
  // different scenes than another seed.
  void deviceSynthesisIsReproducible() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    std::vector<TrainingSummary> summaries;
    const auto run = [&](const std::string& out, const std::string& seed) {
      summaries.push_back(train(TrainingConfig::fromArguments(
                                    {"--pack", pack, "--out", out, "--method", "sslsan", "--steps",
                                     "2", "--batch", "4", "--threads", "1", "--synthesis", "device",
                                     "--seed", seed, "--eval-per-condition", "1"}),
                                [](const std::string&) {}));
      return LocalizationModel::load(out)->stateDict();
    };
    const StateDict a = run(dir.filePath("a.safetensors").toStdString(), "5");
    const StateDict b = run(dir.filePath("b.safetensors").toStdString(), "5");
    const StateDict c = run(dir.filePath("c.safetensors").toStdString(), "6");
    bool differs = false;
    for (const auto& [name, tensor] : a) {
      QVERIFY2(tensor.bytes == b.at(name).bytes, name.c_str());
      differs = differs || tensor.bytes != c.at(name).bytes;
    }
    QVERIFY(differs);
    for (const TrainingSummary& summary : summaries) {
      QVERIFY(summary.device.find("scenes rendered on the device") != std::string::npos);
      QVERIFY(std::isfinite(summary.finalLoss));
    }
    auto model = LocalizationModel::load(dir.filePath("a.safetensors").toStdString());
    QCOMPARE(model->info().training.at("synthesis").asString(), std::string("device"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--synthesis", "gpu"}));
  }

  // --channels-last stores the convolutions NHWC and feeds NHWC inputs: the same model, so the
  // same first loss and (after one Adam step of size lr) the same weights to within 2 lr.
  void channelsLastIsTheSameModel() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const auto run = [&](const std::string& out, bool channelsLast) {
      std::vector<std::string> arguments = {"--pack",
                                            pack,
                                            "--out",
                                            out,
                                            "--steps",
                                            "1",
                                            "--batch",
                                            "4",
                                            "--threads",
                                            "1",
                                            "--eval-per-condition",
                                            "1",
                                            "--method",
                                            "lvs",
                                            "--synthesis",
                                            "device"};
      if (channelsLast) {
        arguments.push_back("--channels-last");
      }
      return train(TrainingConfig::fromArguments(arguments), [](const std::string&) {});
    };
    const std::string plain = dir.filePath("plain.safetensors").toStdString();
    const std::string nhwc = dir.filePath("nhwc.safetensors").toStdString();
    const double plainLoss = run(plain, false).finalLoss;
    const double nhwcLoss = run(nhwc, true).finalLoss;
    QVERIFY2(std::fabs(plainLoss - nhwcLoss) < 1e-4,
             qPrintable(QString("%1 vs %2").arg(plainLoss).arg(nhwcLoss)));
    const StateDict a = LocalizationModel::load(plain)->stateDict();
    const StateDict b = LocalizationModel::load(nhwc)->stateDict();
    double worst = 0.0;
    for (const auto& [name, tensor] : a) {
      if (name.find("running_") != std::string::npos) {
        continue;
      }
      const std::vector<float> x = tensor.toFloat();
      const std::vector<float> y = b.at(name).toFloat();
      for (size_t i = 0; i < x.size(); ++i) {
        worst = std::max(worst, static_cast<double>(std::fabs(x[i] - y[i])));
      }
    }
    QVERIFY2(worst <= 2.0e-4 + 1e-6, qPrintable(QString::number(worst)));
    QCOMPARE(LocalizationModel::load(nhwc)->info().training.at("memory_format").asString(),
             std::string("channels-last"));
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_Trainer.moc"
