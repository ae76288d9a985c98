// What a run saves and how it ends: checkpoint and Adam moments as one unit (a save killed
// between its two files, damaged moments, a damaged step count, stale temporaries, outputs that
// cannot be outputs), resuming exactly, the time budget, and stopping on non-finite values with
// the last good checkpoint kept.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <filesystem>

#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/Safetensors.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TestFixtures.h"
#include "tests/TinyPack.h"
#include "trainer/OptimizerState.h"
#include "trainer/Trainer.h"

using namespace heardmap;
namespace fs = std::filesystem;

namespace {

TrainingConfig run(const QTemporaryDir& dir, const std::string& out, int steps) {
  const std::string pack = dir.filePath("pack.safetensors").toStdString();
  if (!fs::exists(pack)) {
    heardmap::test::tinyPack().save(pack);
  }
  return TrainingConfig::fromArguments({"--pack", pack, "--out", out, "--steps",
                                        std::to_string(steps), "--batch", "4", "--threads", "1",
                                        "--eval-per-condition", "1", "--checkpoint-every", "1"});
}

// A pid that belonged to a process which has ended.
long deadPid() {
  QProcess p;
  p.start("true", {});
  p.waitForFinished();
  return static_cast<long>(p.processId() != 0 ? p.processId() : 999999);
}

std::string message(const TrainingConfig& config) {
  try {
    train(config, [](const std::string&) {});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Rewrites the training record's steps_done in a checkpoint.
void setStepsDone(const std::string& path, const std::string& value) {
  SafetensorsFile file = loadSafetensors(path);
  std::string& training = file.metadata.at("training");
  const size_t at = training.find("\"steps_done\":");
  const size_t end = training.find_first_of(",}", at);
  training.replace(at, end - at, "\"steps_done\": " + value);
  saveSafetensors(path, file);
}

}  // namespace

class TestTrainerSaves : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // kill -9 after the moments of step 3 were written but before the checkpoint of step 3: the
  // checkpoint (step 2) still names its own moments, the resume takes them, and the stray file
  // and a dead process's temporary are gone afterwards.
  void aSaveKilledBetweenItsFilesLosesNothing() {
    QTemporaryDir dir;
    const std::string out = dir.filePath("m.safetensors").toStdString();
    TrainingConfig config = run(dir, out, 2);
    const TrainingSummary first = train(config, [](const std::string&) {});
    QCOMPARE(first.savedStep, int64_t(2));
    QVERIFY(fs::exists(momentsPathFor(out, 2)));
    QVERIFY(!fs::exists(momentsPathFor(out, 1)));  // older moments go once step 2 is committed
    writeFileAtomically(momentsPathFor(out, 3), "moments of a save that never committed");
    const std::string stale = out + ".tmp-" + std::to_string(deadPid());
    writeFileAtomically(stale, std::string(1000, 'x'));
    config = run(dir, out, 4);
    config.resume = true;
    std::vector<std::string> lines;
    const TrainingSummary second =
        train(config, [&](const std::string& line) { lines.push_back(line); });
    QCOMPARE(second.savedStep, int64_t(4));
    QVERIFY(!fs::exists(stale));
    QVERIFY(fs::exists(momentsPathFor(out, 4)));
    QVERIFY(!fs::exists(momentsPathFor(out, 2)) && !fs::exists(momentsPathFor(out, 3)));
    for (const std::string& line : lines) {
      QVERIFY2(line.find("moments restart") == std::string::npos, line.c_str());
    }
  }

  // A changed byte in the recorded moments: the resume stops, naming the file and the checksum,
  // and writes nothing.
  void damagedMomentsAreRefused() {
    QTemporaryDir dir;
    const std::string out = dir.filePath("m.safetensors").toStdString();
    TrainingConfig config = run(dir, out, 2);
    train(config, [](const std::string&) {});
    std::string bytes = readFile(momentsPathFor(out, 2));
    bytes[bytes.size() / 2] ^= 0x10;
    writeFileAtomically(momentsPathFor(out, 2), bytes);
    const std::string before = readFile(out);
    config = run(dir, out, 3);
    config.resume = true;
    const std::string why = message(config);
    QVERIFY2(why.find(momentsPathFor(out, 2)) != std::string::npos, why.c_str());
    QVERIFY2(why.find("checksum") != std::string::npos, why.c_str());
    QVERIFY(readFile(out) == before);
  }

  void aDamagedStepCountIsRefused_data() {
    QTest::addColumn<QString>("value");
    QTest::newRow("negative") << "-5";
    QTest::newRow("huge") << "1e15";
    QTest::newRow("fraction") << "2.5";
  }

  void aDamagedStepCountIsRefused() {
    QFETCH(QString, value);
    QTemporaryDir dir;
    const std::string out = dir.filePath("m.safetensors").toStdString();
    TrainingConfig config = run(dir, out, 1);
    train(config, [](const std::string&) {});
    setStepsDone(out, value.toStdString());
    config = run(dir, out, 3);
    config.resume = true;
    const std::string why = message(config);
    QVERIFY2(why.find("'steps_done'") != std::string::npos && why.find(out) != std::string::npos,
             why.c_str());
  }

  // Outputs that cannot be outputs fail before the first step, and leave what is there alone.
  void badOutputsFailBeforeTheFirstStep() {
    QTemporaryDir dir;
    const std::string folder = dir.filePath("a-folder").toStdString();
    fs::create_directories(folder);
    for (const std::string& out :
         {folder, std::string("/dev/full"), dir.filePath("pack.safetensors").toStdString()}) {
      TrainingConfig config = run(dir, dir.filePath("x.safetensors").toStdString(), 1);
      config.outputPath = out;
      int steps = 0;
      QVERIFY_THROWS_EXCEPTION(FileError, train(config, [&](const std::string& line) {
                                 steps += line.rfind("step ", 0) == 0 ? 1 : 0;
                               }));
      QCOMPARE(steps, 0);
    }
    QVERIFY(fs::is_character_file("/dev/full"));
    QVERIFY(fs::is_directory(folder));
  }

  void flagsOutOfRangeAreErrorsNamingTheFlag_data() {
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("value");
    QTest::newRow("batch too big") << "--batch"
                                   << "100000";
    QTest::newRow("steps not a number") << "--steps"
                                        << "12abc";
    QTest::newRow("lr nan") << "--lr"
                            << "nan";
    QTest::newRow("lr inf") << "--lr"
                            << "inf";
    QTest::newRow("threads zero") << "--threads"
                                  << "0";
    QTest::newRow("steps fraction") << "--steps"
                                    << "2.5";
  }

  void flagsOutOfRangeAreErrorsNamingTheFlag() {
    QFETCH(QString, flag);
    QFETCH(QString, value);
    try {
      TrainingConfig::fromArguments(
          {"--pack", "p", "--out", "o", flag.toStdString(), value.toStdString()});
      QFAIL("accepted");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(std::string(e.what()).find(flag.toStdString()) == 0, e.what());
    }
  }

  // --config FILE reads regular files only: a device would never end.
  void configFromADeviceIsRefused() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--config", "/dev/zero"}));
  }

  // heardmap-train --init takes a checkpoint as EZ-VSL's train.py saves it with the real
  // torch.save ({"model": DDP state dict, "optimizer", "epoch", numpy scores}) and records it.
  void initialisesFromATorchSavedCheckpoint() {
    QTemporaryDir dir;
    const std::string base = dir.filePath("base.safetensors").toStdString();
    train(run(dir, base, 1), [](const std::string&) {});
    const QString pth = dir.filePath("best.pth");
    const QString failure =
        heardmap::test::realTorchSave(QString::fromStdString(base), pth, {"--layout", "ezvsl"});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const std::string tuned = dir.filePath("tuned.safetensors").toStdString();
    TrainingConfig config = run(dir, tuned, 1);
    config.initPath = pth.toStdString();
    train(config, [](const std::string&) {});
    const auto model = LocalizationModel::load(tuned);
    QCOMPARE(model->info().training.at("init").asString(), pth.toStdString());
    QVERIFY(model->info().trained);
  }

  // --max-minutes ends a long run early with an evaluated checkpoint (the GPU session trains
  // every method for a fixed wall time).
  void timeBudgetEndsTheRunWithAnEvaluatedCheckpoint() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const std::string out = dir.filePath("budget.safetensors").toStdString();
    QStringList lines;
    const TrainingSummary summary =
        train(TrainingConfig::fromArguments(
                  {"--pack", pack, "--out", out, "--steps", "100000", "--batch", "4", "--threads",
                   "1", "--max-minutes", "0.002", "--eval-per-condition", "2", "--progress=json"}),
              [&](const std::string& line) { lines << QString::fromStdString(line); });
    QVERIFY(summary.stoppedByBudget);
    QVERIFY(!summary.stoppedOnNonFinite);
    QVERIFY(summary.stepsDone >= 1 && summary.stepsDone < 100000);
    QVERIFY(summary.wallSeconds < 30.0);
    QVERIFY(lines.join('\n').contains("\"reason\": \"time budget\""));
    // The time left is what the budget leaves (0.12 s), not 100,000 steps at the run's pace.
    for (const QString& line : lines) {
      const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
      if (event.value("event").toString() == "step") {
        QVERIFY2(event.value("remaining_s").toDouble() <= 1.0, qPrintable(line));
      }
    }
    QVERIFY(lines.last().contains("\"event\": \"eval\""));
    auto model = LocalizationModel::load(out);
    QCOMPARE(model->info().training.at("steps_done").asInt(), summary.stepsDone);
    QCOMPARE(model->info().training.at("max_minutes").asNumber(), 0.002);
    QVERIFY(model->info().metrics.contains("positive"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             TrainingConfig::fromArguments({"--pack", "p", "--max-minutes", "-1"}));
  }

  // Resuming restores the Adam moments: 2 + 2 steps give the weights of 4 straight steps.
  // (Batch-norm running statistics may differ slightly: a periodic checkpoint is written after
  // the next batch's forward pass; training-mode batch norm never reads them, so the parameters
  // compared here do not depend on them.)
  void resumeContinuesTheOptimizerExactly() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    const auto run = [&](const std::string& out, int64_t steps, bool resume) {
      TrainingConfig config = TrainingConfig::fromArguments(
          {"--pack", pack, "--out", out, "--steps", std::to_string(steps), "--batch", "4",
           "--threads", "1", "--eval-per-condition", "1", "--lr", "1e-3"});
      config.resume = resume;
      train(config, [](const std::string&) {});
    };
    const std::string straight = dir.filePath("straight.safetensors").toStdString();
    const std::string split = dir.filePath("split.safetensors").toStdString();
    run(straight, 4, false);
    run(split, 2, false);
    QVERIFY(QFile::exists(QString::fromStdString(momentsPathFor(split, 2))));
    run(split, 4, true);
    const StateDict a = LocalizationModel::load(straight)->stateDict();
    const StateDict b = LocalizationModel::load(split)->stateDict();
    double worst = 0.0;
    for (const auto& [name, tensor] : a) {
      if (name.find("running_") != std::string::npos ||
          name.find("num_batches_tracked") != std::string::npos) {
        continue;
      }
      const std::vector<float> x = tensor.toFloat();
      const std::vector<float> y = b.at(name).toFloat();
      for (size_t i = 0; i < x.size(); ++i) {
        worst = std::max(worst, static_cast<double>(std::fabs(x[i] - y[i])));
      }
    }
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
  }

  // A checkpoint folder that cannot take files stops the run before its first step, not at its
  // first checkpoint; a missing one is created.
  void unwritableOutputFolderStopsTheRunAtOnce() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = heardmap::test::smallRun(dir, pack);
    config.outputPath = "/proc/heardmap-no-such-folder/m.safetensors";
    int steps = 0;
    QVERIFY_THROWS_EXCEPTION(FileError, train(config, [&](const std::string& line) {
                               steps += line.rfind("step ", 0) == 0 ? 1 : 0;
                             }));
    QCOMPARE(steps, 0);
    config.outputPath = dir.filePath("runs/new/m.safetensors").toStdString();
    config.steps = 1;
    train(config, [](const std::string&) {});
    QVERIFY(QFile::exists(QString::fromStdString(config.outputPath)));
  }

  // A truncated optimizer state beside a checkpoint: --resume stops with a plain message (no
  // torch backtrace) that names the file and the way out, and the checkpoint stays as it was.
  void truncatedAdamMomentsStopTheResumeCleanly() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = heardmap::test::smallRun(dir, pack);
    config.steps = 2;
    train(config, [](const std::string&) {});
    const std::string moments = momentsPathFor(config.outputPath, 2);
    std::filesystem::resize_file(moments, 1000);
    const std::string before = readFile(config.outputPath);
    config.resume = true;
    config.steps = 4;
    std::string message;
    try {
      train(config, [](const std::string&) {});
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
    QVERIFY2(message.find("cannot read the Adam moments in " + moments) != std::string::npos,
             message.c_str());
    QVERIFY2(message.find("move that file away") != std::string::npos, message.c_str());
    QVERIFY2(message.find("frame #") == std::string::npos, message.c_str());
    QVERIFY(readFile(config.outputPath) == before);
  }

  void trainsEvaluatesSavesAndResumes() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = heardmap::test::smallRun(dir, pack);
    config.progress = ProgressFormat::JsonLines;
    QStringList lines;
    const TrainingSummary summary =
        train(config, [&](const std::string& line) { lines << QString::fromStdString(line); });
    QCOMPARE(summary.stepsDone, int64_t(3));
    QVERIFY(std::isfinite(summary.finalLoss));
    QVERIFY(!summary.stoppedOnNonFinite);
    QVERIFY(summary.device.rfind("cpu", 0) == 0 || summary.device.rfind("cuda", 0) == 0);
    for (const QString& line : lines) {
      QJsonParseError error;
      QJsonDocument::fromJson(line.toUtf8(), &error);
      QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(line));
    }
    QVERIFY(lines.last().contains("\"event\": \"eval\""));
    // Every step record estimates the time left; none is left after the last step.
    QJsonObject lastStep;
    for (const QString& line : lines) {
      const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
      if (event.value("event").toString() == "step") {
        QVERIFY2(event.contains("remaining_s") && event.value("remaining_s").toDouble() >= 0.0,
                 qPrintable(line));
        lastStep = event;
      }
    }
    QCOMPARE(lastStep.value("step").toInt(), 3);
    QCOMPARE(lastStep.value("remaining_s").toDouble(), 0.0);

    auto model = LocalizationModel::load(config.outputPath);
    QVERIFY(model->info().trained);
    QCOMPARE(model->info().training.at("steps_done").asInt(), int64_t(3));
    QCOMPARE(model->info().training.at("batch_size").asInt(), int64_t(4));
    QVERIFY(model->info().metrics.contains("positive"));
    QVERIFY(model->info().metrics.contains("slavc_ap"));

    config.resume = true;
    config.steps = 5;
    const TrainingSummary resumed = train(config, [](const std::string&) {});
    QCOMPARE(resumed.stepsDone, int64_t(5));
    const Json record = LocalizationModel::load(config.outputPath)->info().training;
    QCOMPARE(record.at("steps_done").asInt(), int64_t(5));
    // The record's wall time is the whole run's, both parts.
    QCOMPARE(record.numberOr("wall_seconds", 0), summary.wallSeconds + resumed.wallSeconds);
  }

  // An absurd learning rate blows the weights up: training stops and the checkpoint on disk is
  // still the last good one.
  void stopsOnNonFiniteValuesAndKeepsTheLastGoodCheckpoint() {
    QTemporaryDir dir;
    const std::string pack = heardmap::test::savedTinyPack(dir);
    TrainingConfig config = heardmap::test::smallRun(dir, pack);
    config.steps = 2;
    train(config, [](const std::string&) {});
    config.resume = true;
    config.learningRate = 1e30;
    config.steps = 8;
    QStringList lines;
    const TrainingSummary summary =
        train(config, [&](const std::string& line) { lines << QString::fromStdString(line); });
    QVERIFY(summary.stoppedOnNonFinite);
    QVERIFY(summary.stepsDone < 8);
    QVERIFY(lines.join('\n').contains("last good checkpoint is kept"));
    auto model = LocalizationModel::load(config.outputPath);
    const int64_t saved = model->info().training.at("steps_done").asInt();
    QVERIFY(saved >= 2 && saved < 8);
    RgbImage frame;
    frame.width = frame.height = 64;
    frame.pixels.assign(64 * 64 * 3, 100);
    const Heatmap h = model->localize(frame, std::vector<float>(48000, 0.1f));
    for (float v : h.scores) {
      QVERIFY(std::isfinite(v));
    }
  }
};

QTEST_GUILESS_MAIN(TestTrainerSaves)
#include "tst_TrainerSaves.moc"
