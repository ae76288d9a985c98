// The trainer pane under Xvfb: trains a MarginNCE variant for a few steps on the CPU in a separate
// heardmap-train process, shows its loss and test-split curves, puts the checkpoint into the grid
// beside the base model; trains on videos and on shards (two processes); Stop saves a partial
// checkpoint; a crashing trainer leaves the app alive.
#include <QtTest>

#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QScreen>
#include <QSpinBox>
#include "tests/GlTestMain.h"

#include "core/AtomicFile.h"
#include "core/data/Shards.h"
#include "core/eval/TrainingLog.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TestFixtures.h"
#include "tests/TinyPack.h"
#include "ui/CurveChart.h"
#include "ui/MainWindow.h"
#include "ui/PlayerController.h"
#include "ui/TrainerPanel.h"
#include "ui/TrainerProcess.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::waitUntil;

class TestTrainerPane : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP("needs a real GL context: run under xvfb-run");
    }
    QVERIFY2(QFileInfo(qEnvironmentVariable("HEARDMAP_TRAINER")).isExecutable(),
             "HEARDMAP_TRAINER must name the built heardmap-train");
    heardmap::test::useTestSession("tst_TrainerPane");
    LocalizationModel::setThreadCount(2);
    pack_ = dir_.filePath("pack.safetensors");
    heardmap::test::tinyPack().save(pack_.toStdString());
  }

  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void trainsAVariantAndComparesIt() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.ensureModels();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    TrainerPanel* panel = window.trainerPanel();
    panel->setPackPath(pack_);
    auto* method = panel->findChild<QComboBox*>("trainerMethod");
    method->setCurrentIndex(method->findData("marginnce"));
    auto* variant = panel->findChild<QComboBox*>("trainerVariant");
    variant->setCurrentIndex(variant->findData("small"));
    panel->findChild<QSpinBox*>("trainerSteps")->setValue(20);
    panel->findChild<QSpinBox*>("trainerBatch")->setValue(4);
    panel->findChild<QSpinBox*>("trainerEvalEvery")->setValue(10);
    const QStringList args = TrainerProcess::arguments(panel->request());
    QVERIFY(args.contains("--margin") && args.contains("--progress=json"));
    QCOMPARE(args.at(args.indexOf("--variant") + 1), QString("small"));
    QCOMPARE(args.at(args.indexOf("--image-padding") + 1), QString("circular"));  // the default
    // From a base: its own size and padding, and its trunks can be frozen for the first steps.
    auto* freeze = panel->findChild<QSpinBox*>("trainerFreezeTrunks");
    QVERIFY(!freeze->isEnabled() && variant->isEnabled());
    panel->setBasePath(dir_.filePath("base.safetensors"));
    QVERIFY(freeze->isEnabled() && !variant->isEnabled());
    freeze->setValue(30);
    const QStringList baseArgs = TrainerProcess::arguments(panel->request());
    QCOMPARE(baseArgs.at(baseArgs.indexOf("--freeze-trunks") + 1), QString("30"));
    QVERIFY(!baseArgs.contains("--variant") && !baseArgs.contains("--image-padding"));
    freeze->setValue(0);
    QVERIFY(!TrainerProcess::arguments(panel->request()).contains("--freeze-trunks"));
    panel->setBasePath(QString());
    // FNAC's weight: "auto" leaves it to the trainer (100 x batch / 256); a number is passed on.
    method->setCurrentIndex(method->findData("fnac"));
    auto* fnacLambda = panel->findChild<QDoubleSpinBox*>("trainerFnacLambda");
    QVERIFY(fnacLambda->isEnabled());
    QCOMPARE(fnacLambda->text(), QString("auto: 100 x batch / 256"));
    QVERIFY(!TrainerProcess::arguments(panel->request()).contains("--fnac-lambda"));
    fnacLambda->setValue(50.0);
    const QStringList fnacArgs = TrainerProcess::arguments(panel->request());
    QCOMPARE(fnacArgs.at(fnacArgs.indexOf("--fnac-lambda") + 1), QString("50"));
    fnacLambda->setValue(-1.0);
    method->setCurrentIndex(method->findData("marginnce"));

    QSignalSpy finished(window.trainer(), &TrainerProcess::finished);
    QVERIFY(window.startTraining());
    QVERIFY(window.trainer()->isRunning());
    // The UI stays responsive while the trainer runs in its own process.
    QElapsedTimer responsive;
    responsive.start();
    QTest::qWait(50);
    QVERIFY(responsive.elapsed() < 1000);
    QVERIFY(finished.wait(240000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    const QString path = finished.first().at(1).toString();
    QVERIFY(QFileInfo::exists(path));
    const ModelConfig trained = LocalizationModel::load(path.toStdString())->info().config;
    QCOMPARE(trained.variantName(), std::string("small"));
    QCOMPARE(trained.imagePadding, std::string("circular"));
    // Live curves: a loss point every step (short run), a test-split evaluation at 10 and 20.
    QCOMPARE(panel->lossChart()->series().value(0).points.size(), 20);
    QCOMPARE(panel->metricChart()->series().size(), 3);
    QCOMPARE(panel->metricChart()->series()[0].points.size(), 2);
    QCOMPARE(panel->metricChart()->series()[0].points.last().x(), 20.0);
    const auto model = LocalizationModel::load(path.toStdString());
    QCOMPARE(model->info().config.method, std::string("marginnce"));
    QVERIFY(model->info().trained);
    QCOMPARE(model->info().training.at("steps_done").asInt(), int64_t{20});
    // The run's progress is kept beside its checkpoint, in the form `heardmap curves` draws.
    const TrainingLog kept =
        TrainingLog::parse(readFile(TrainerProcess::progressLogPath(path).toStdString()));
    QCOMPARE(kept.loss.size(), size_t(20));
    QCOMPARE(kept.evals.size(), size_t(2));
    QCOMPARE(kept.evals.back().step, int64_t(20));

    // The finished checkpoint is in the list; one click compares it side by side.
    auto* list = panel->findChild<QListWidget*>("trainerFinished");
    QCOMPARE(list->count(), 1);
    QVERIFY(window.compareCheckpoint(path));
    QCOMPARE(window.controller()->viewCount(), 2);
    QCOMPARE(window.controller()->view(1).checkpointPath, QFileInfo(path).absoluteFilePath());
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->view(1).raw.empty(), 30000);

    const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
      for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
        if (dock->objectName() == "trainerDock") {
          dock->raise();
        }
      }
      QTest::qWait(500);
      window.screen()->grabWindow(window.winId()).save(shots + "/screenshot-trainer-pane.png");
    }
  }

  // Data = a folder of the user's videos: the pane makes training pairs (heardmap data clips),
  // then trains on them.
  void trainsOnAFolderOfVideos() {
    QTemporaryDir videos;
    QVERIFY(QFile::copy(fixture("player.mp4"), videos.filePath("a.mp4")));
    QVERIFY(QFile::copy(fixture("clip.mp4"), videos.filePath("b.mp4")));
    MainWindow window;
    window.trainerPanel()->setPackPath(pack_);
    window.trainerPanel()->setVideoFolder(videos.path());
    window.trainerPanel()->findChild<QSpinBox*>("trainerSteps")->setValue(4);
    window.trainerPanel()->findChild<QSpinBox*>("trainerBatch")->setValue(2);
    window.trainerPanel()->findChild<QSpinBox*>("trainerEvalEvery")->setValue(4);
    QSignalSpy finished(window.trainer(), &TrainerProcess::finished);
    QVERIFY(window.startTraining());
    QVERIFY(finished.wait(240000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    const auto model = LocalizationModel::load(finished.first().at(1).toString().toStdString());
    QVERIFY(model->info().training.at("data").asString().find("clips-") != std::string::npos);
    QCOMPARE(model->info().training.at("steps_done").asInt(), int64_t{4});
  }

  // Data = a dataset's shards, on two processes started as torchrun would: rank 0's progress
  // in the pane, Stop ends both at one step and rank 0 writes the checkpoint.
  void trainsOnShardsWithTwoProcessesAndStops() {
    QTemporaryDir shards;
    ShardIndex index;
    index.layout = ShardLayout{64, 16000, 64000, 16};
    ShardData data;
    for (int i = 0; i < 16; ++i) {
      data.ids.push_back("s" + std::to_string(i));
      data.frames.resize(data.frames.size() + 64 * 64 * 3, static_cast<uint8_t>(16 * i));
      data.audio.resize(data.audio.size() + 64000, static_cast<int16_t>(100 * i - 800));
    }
    writeShard(shards.filePath("shard-00000.safetensors").toStdString(), index.layout, data);
    index.shards.push_back({"shard-00000.safetensors", 16});
    index.scanned = index.planned = 16;
    index.complete = true;
    index.save(shards.path().toStdString());
    MainWindow window;
    window.trainerPanel()->setPackPath(pack_);
    window.trainerPanel()->setShardsFolder(shards.path());
    // Epochs are the trainer's --epochs with shards (and only with them).
    auto* epochs = window.trainerPanel()->findChild<QSpinBox*>("trainerEpochs");
    QVERIFY(epochs->isEnabled());
    epochs->setValue(20);
    const QStringList withEpochs = TrainerProcess::arguments(window.trainerPanel()->request());
    QCOMPARE(withEpochs.at(withEpochs.indexOf("--epochs") + 1), QString("20"));
    QCOMPARE(withEpochs.at(withEpochs.indexOf("--shards") + 1), shards.path());
    epochs->setValue(0);
    window.trainerPanel()->findChild<QSpinBox*>("trainerProcesses")->setValue(2);
    window.trainerPanel()->findChild<QSpinBox*>("trainerSteps")->setValue(100000);
    window.trainerPanel()->findChild<QSpinBox*>("trainerBatch")->setValue(4);
    window.trainerPanel()->findChild<QSpinBox*>("trainerEvalEvery")->setValue(100000);
    QSignalSpy steps(window.trainer(), &TrainerProcess::stepReported);
    QSignalSpy finished(window.trainer(), &TrainerProcess::finished);
    QVERIFY(window.startTraining());
    QVERIFY(steps.wait(120000));
    QCOMPARE(steps.first().at(5).toInt(), 2);  // the world size; 16 samples / 4 = 4 steps an epoch
    const QString status = window.trainerPanel()->findChild<QLabel*>("trainerStatus")->text();
    QVERIFY2(status.contains("on 2 processes") && status.contains(" / 25000)"), qPrintable(status));
    window.trainer()->stop();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QVERIFY(finished.first().at(2).toString().contains("stopped"));
    const auto model = LocalizationModel::load(finished.first().at(1).toString().toStdString());
    QCOMPARE(model->info().training.at("world_size").asInt(), int64_t{2});
    QVERIFY(model->info().training.at("data").asString().find("shards: ") == 0);
  }

  void stopSavesAPartialCheckpoint() {
    MainWindow window;
    window.trainerPanel()->setPackPath(pack_);
    window.trainerPanel()->findChild<QSpinBox*>("trainerSteps")->setValue(100000);
    window.trainerPanel()->findChild<QSpinBox*>("trainerBatch")->setValue(2);
    window.trainerPanel()->findChild<QSpinBox*>("trainerEvalEvery")->setValue(100000);
    QSignalSpy steps(window.trainer(), &TrainerProcess::stepReported);
    QSignalSpy finished(window.trainer(), &TrainerProcess::finished);
    QVERIFY(window.startTraining());
    QVERIFY(steps.wait(120000));
    // The trainer's estimate of the time left (100,000 steps: well over a minute) in the status.
    QVERIFY(steps.first().at(4).toDouble() > 60.0);
    const QString status = window.trainerPanel()->findChild<QLabel*>("trainerStatus")->text();
    QVERIFY2(status.contains(" left") && status.contains("about "), qPrintable(status));
    window.trainer()->stop();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QVERIFY(finished.first().at(2).toString().contains("stopped"));
    const auto model = LocalizationModel::load(finished.first().at(1).toString().toStdString());
    QVERIFY(model->info().training.at("steps_done").asInt() >= 10);
  }

  void crashingTrainerLeavesTheAppAlive() {
    const QString crasher = dir_.filePath("crash.sh");
    QFile script(crasher);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\necho 'about to crash' >&2\nkill -SEGV $$\n");
    script.close();
    script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QByteArray real = qgetenv("HEARDMAP_TRAINER");
    qputenv("HEARDMAP_TRAINER", crasher.toUtf8());
    MainWindow window;
    window.trainerPanel()->setPackPath(pack_);
    QSignalSpy finished(window.trainer(), &TrainerProcess::finished);
    QVERIFY(window.startTraining());
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY2(finished.first().at(2).toString().contains("crashed"),
             qPrintable(finished.first().at(2).toString()));
    QVERIFY(!window.trainer()->isRunning());
    qputenv("HEARDMAP_TRAINER", real);
    // A trainer binary that does not exist: a message, nothing started.
    qputenv("HEARDMAP_TRAINER", dir_.filePath("missing").toUtf8());
    QVERIFY(!window.startTraining());
    qputenv("HEARDMAP_TRAINER", real);
  }

 private:
  QTemporaryDir dir_;
  QString pack_;
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestTrainerPane>(argc, argv);
}
#include "tst_TrainerPane.moc"
