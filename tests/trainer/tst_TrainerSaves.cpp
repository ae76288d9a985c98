// Checkpoint and Adam moments as one unit, and the trainer's checks before its first step: a save
// killed between its two files, damaged moments, a damaged step count, stale temporaries and
// outputs that cannot be outputs.
#include <QtTest>
#include <filesystem>

#include "../TestFixtures.h"
#include "../TinyPack.h"
#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/Safetensors.h"
#include "core/ml/LocalizationModel.h"
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
};

QTEST_GUILESS_MAIN(TestTrainerSaves)
#include "tst_TrainerSaves.moc"
