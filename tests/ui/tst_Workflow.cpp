// The researcher's workflow in the real main window under Xvfb: a grid of views on the same
// frame, negative-audio probes, failure annotation (keys, boxes, tags, autosave, undo, reload,
// export, scores), snapshot and range export, and the saved session.
#include <QtTest>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTableWidget>
#include "tests/GlTestMain.h"

#include "app/media/VideoDecoder.h"
#include "core/AtomicFile.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TestFixtures.h"
#include "ui/AnnotationController.h"
#include "ui/CheckpointPrompt.h"
#include "ui/HelpOverlay.h"
#include "ui/MainWindow.h"
#include "ui/OverlayPanel.h"
#include "ui/PlayerController.h"
#include "ui/ShortcutMap.h"
#include "ui/TimelineWidget.h"
#include "ui/VideoView.h"
#include "ui/ViewGrid.h"
#include "ui/ViewLabels.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::rms;
using heardmap::test::waitUntil;

namespace {

QString saveCompact(const QTemporaryDir& dir, const QString& name, uint64_t seed) {
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = 160;
  const QString path = dir.filePath(name);
  LocalizationModel::createUntrained(ModelConfig::compact(), contract, seed)
      ->save(path.toStdString());
  return path;
}

// Waits until every view has a map for the frame on screen (at time t).
bool allViewsAt(PlayerController* player, double t) {
  return waitUntil(
      [&] {
        if (std::abs(player->currentFrame().timeSeconds - t) > 1e-6) {
          return false;
        }
        for (int i = 0; i < player->viewCount(); ++i) {
          if (player->view(i).raw.empty() || std::abs(player->view(i).raw.timeSeconds - t) > 1e-6) {
            return false;
          }
        }
        return true;
      },
      30000);
}

}  // namespace

class TestWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP("needs a real GL context: run under xvfb-run");
    }
    heardmap::test::useTestSession("tst_Workflow");
    QSettings().clear();
    LocalizationModel::setThreadCount(2);
    QVERIFY(models_.isValid());
    modelA_ = saveCompact(models_, "a.safetensors", 1);
    modelB_ = saveCompact(models_, "b.safetensors", 2);
  }

  // The shipped models fill the views without a checkpoint in method order (EZ-VSL first), other
  // checkpoints of the folder after them, and File > Shipped models lists them; no folder: the
  // untrained demo model.
  void shippedModelsFillTheViewsInMethodOrder() {
    QTemporaryDir shippedDir;
    const auto ship = [&](const QString& name, const std::string& method) {
      ModelConfig config = ModelConfig::small();
      config.method = method;
      PreprocessingContract contract = PreprocessingContract::ezvsl();
      contract.imageSize = config.defaultImageSize();
      auto model = LocalizationModel::createUntrained(config, contract, 3);
      model->info().trained = true;  // a fixture standing in for a trained model
      model->info().training =
          Json::parse(R"json({"steps_done": 7, "device": "cpu (1 threads)"})json");
      model->save(shippedDir.filePath(name).toStdString(), DType::F16, /*inferenceOnly=*/true);
    };
    ship("aaa-other.safetensors", "ezvsl");
    ship("marginnce-small.safetensors", "marginnce");
    ship("ezvsl-small.safetensors", "ezvsl");
    writeFileAtomically(shippedDir.filePath("README.txt").toStdString(), "not a model");
    const QByteArray before = qgetenv("HEARDMAP_MODELS");
    qputenv("HEARDMAP_MODELS", shippedDir.path().toUtf8());
    {
      MainWindow window;
      window.setViewCount(4);
      window.ensureModels();
      PlayerController* player = window.controller();
      const QStringList expected = {"ezvsl-small", "marginnce-small", "aaa-other", "ezvsl-small"};
      for (int i = 0; i < 4; ++i) {
        QCOMPARE(QFileInfo(player->view(i).checkpointPath).completeBaseName(), expected[i]);
        QVERIFY(player->view(i).model->info().trained);
        QCOMPARE(player->view(i).model->info().config.variantName(), std::string("small"));
      }
      QCOMPARE(player->view(1).model->info().config.method, std::string("marginnce"));
      // The panel says where the selected view's weights come from.
      window.selectView(1);
      QCOMPARE(window.findChild<QLabel*>("trainedState")->text(),
               QString("trained 7 steps on cpu (1 threads)"));
      QMenu* shippedMenu = nullptr;
      for (QMenu* menu : window.findChildren<QMenu*>()) {
        if (menu->title().startsWith("S&hipped")) {
          shippedMenu = menu;
        }
      }
      QVERIFY(shippedMenu != nullptr);
      QCOMPARE(shippedMenu->actions().size(), 3);
      QCOMPARE(shippedMenu->actions().at(0)->text(), QString("ezvsl-small"));
    }
    {
      // A checkpoint named on the command line or in the saved session that does not load is an
      // error in its view, never replaced by a shipped model.
      MainWindow window;
      window.setViewCount(2);
      QVERIFY(!window.loadModelIntoView(1, fixture("garbage.mp4"),
                                        MainWindow::LoadFailure::ShowInView));
      window.ensureModels();
      PlayerController* player = window.controller();
      QVERIFY(player->view(0).model != nullptr);  // the first shipped model
      QVERIFY(player->view(1).model == nullptr);
      QVERIFY(player->view(1).checkpointPath.endsWith("garbage.mp4"));
      QVERIFY(QString::fromStdString(player->view(1).loadError).contains("garbage.mp4"));
      bool warning = false;
      const QStringList caption = viewCaption(1, player->view(1), false, &warning);
      QVERIFY2(caption[0].contains("cannot load garbage.mp4") && warning,
               qPrintable(caption.join(" | ")));
      window.selectView(1);
      QVERIFY(window.findChild<QLabel*>("trainedState")->text().contains("garbage.mp4"));
      // Loading a good one into the view clears the error.
      QVERIFY(window.loadModelIntoView(1, QString()));
      QVERIFY(player->view(1).loadError.empty() && player->view(1).model != nullptr);
    }
    qputenv("HEARDMAP_MODELS", shippedDir.filePath("missing").toUtf8());
    {
      MainWindow window;
      window.ensureModels();
      QVERIFY(!window.controller()->view(0).model->info().trained);
      QVERIFY(window.controller()->view(0).checkpointPath.isEmpty());
    }
    qputenv("HEARDMAP_MODELS", before);
  }

  // Four views on the same frame; views sharing weights share the visual pass.
  void gridShowsEveryViewOnTheSameFrame() {
    MainWindow window;
    heardmap::test::showActive(window);
    window.setViewCount(4);
    QCOMPARE(window.grid()->count(), 4);
    QVERIFY(window.loadModelIntoView(0, modelA_));
    QVERIFY(window.loadModelIntoView(1, modelA_));
    QVERIFY(window.loadModelIntoView(2, modelB_));
    QVERIFY(window.loadModelIntoView(3, QString()));  // untrained = seed 1 = a's weights
    PlayerController* player = window.controller();
    QCOMPARE(player->view(0).model.get(), player->view(1).model.get());  // one copy in memory
    QVERIFY(window.openMedia(fixture("player.mp4")));
    player->seek(1.2);
    QVERIFY(allViewsAt(player, 1.2));
    QCOMPARE(player->view(1).raw.scores, player->view(0).raw.scores);
    QCOMPARE(player->view(3).raw.scores, player->view(0).raw.scores);
    QVERIFY(player->view(2).raw.scores != player->view(0).raw.scores);
    QSignalSpy stats(player, &PlayerController::statsChanged);
    player->play();
    QVERIFY(stats.wait(3000));
    QCOMPARE(stats.last().first().value<PlaybackStats>().visualPasses, 2);
    QCOMPARE(stats.last().first().value<PlaybackStats>().views, 4);
    player->pause();
    QTRY_VERIFY(window.findChild<QLabel*>("stats")->text().contains("4 view(s), 2 visual"));

    // Every view draws the frame with its caption: model, what it hears, raw range, time.
    for (int i = 0; i < 4; ++i) {
      VideoView* view = window.grid()->view(i);
      QTRY_VERIFY(view->caption().size() >= 3);
      QVERIFY(view->caption()[0].startsWith(QString::number(i + 1)));
      QCOMPARE(view->caption()[1], QString("hears: real audio"));
      QVERIFY(view->caption()[2].contains("raw") && view->caption()[2].contains("ms"));
      const QImage shot = view->grabFramebuffer();
      QVERIFY(shot.pixelColor(shot.width() / 2, shot.height() / 2) !=
              QColor::fromRgbF(0.08f, 0.08f, 0.09f));
    }
    QVERIFY(window.grid()->view(3)->caption()[0].contains("UNTRAINED"));
    // Clicking a view selects it; the overlay panel then edits that view when unshared.
    QTest::mouseClick(window.grid()->view(2), Qt::LeftButton);
    QCOMPARE(window.grid()->selected(), 2);
    // The timeline has a peak-score track per view and the model window's spectrogram.
    QCOMPARE(window.timeline()->tracks().size(), size_t{4});
    QTRY_VERIFY(window.timeline()->hasModelWindow());
    window.setViewCount(2);
    QCOMPARE(window.grid()->count(), 2);
    QCOMPARE(player->viewCount(), 2);
  }

  // Probes: each view hears what its condition says, and shows it.
  void probesChangeWhatEachViewHears() {
    MainWindow window;
    heardmap::test::showActive(window);
    window.ensureModels();
    window.setViewCount(2);
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    player->seek(1.6);  // the tone plays from 1 s
    QVERIFY(allViewsAt(player, 1.6));
    const std::vector<float> real = player->view(0).window;
    QVERIFY(rms(real) > 0.03);  // 2 s of a 1/8-amplitude sine in 3 s: 0.072
    const std::vector<float> realScores = player->view(1).raw.scores;

    window.selectView(1);
    window.findChild<QCheckBox*>("probeAllViews")->setChecked(false);
    window.findChild<QAction*>("probe-silence")->trigger();
    QCOMPARE(player->view(1).condition, AudioCondition::Silence);
    QCOMPARE(player->view(0).condition, AudioCondition::Real);
    QTRY_VERIFY_WITH_TIMEOUT(!player->view(1).window.empty() && rms(player->view(1).window) == 0.0,
                             10000);
    QTRY_VERIFY_WITH_TIMEOUT(player->view(1).raw.scores != realScores, 30000);
    QCOMPARE(player->view(0).window, real);
    QTRY_COMPARE(window.grid()->view(1)->caption().value(1), QString("hears: silence"));

    window.findChild<QCheckBox*>("probeAllViews")->setChecked(true);
    QTest::keyClick(&window, Qt::Key_3);  // white noise, every view
    QCOMPARE(player->view(0).condition, AudioCondition::WhiteNoise);
    QCOMPARE(player->view(1).condition, AudioCondition::WhiteNoise);
    QTRY_VERIFY(std::abs(rms(player->view(0).window) - kWhiteNoiseRms) < 0.01);

    QVERIFY(player->setOffScreenClip(fixture("clip.mp4")));
    window.applyProbe(AudioCondition::OffScreen, true);
    QTRY_VERIFY(rms(player->view(0).window) > 0.05 && player->view(0).window != real);
    QTRY_COMPARE(window.grid()->view(0)->caption().value(1),
                 QString("hears: off-screen audio (clip.mp4)"));  // the clip named

    // An absolute threshold nobody reaches shows "nothing above threshold" on the view.
    window.applyProbe(AudioCondition::Real, true);
    OverlaySettings settings = window.overlayPanel()->settings();
    settings.normalization = NormalizationMode::AbsoluteThreshold;
    settings.threshold = 1.0f;
    window.overlayPanel()->setSettings(settings);
    player->setOverlaySettings(settings);
    player->seek(1.0);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.grid()->view(0)->caption().value(3) == QString("nothing above threshold"), 30000);
  }

  // Mark a failure with I / O, draw boxes, tag it, write a note; autosaved; undo / redo;
  // reload in a new window; export COCO and CSV; score the views on the boxes.
  // Longer than 80 lines: one scenario end to end, each step checked where it happens.
  void annotationRoundTrip() {
    QTemporaryDir dir;
    const QString clip = dir.filePath("dog.mp4");
    QVERIFY(QFile::copy(fixture("player.mp4"), clip));
    const QString sidecar = clip + ".heardmap.json";
    {
      MainWindow window;
      heardmap::test::showActive(window);
      window.ensureModels();
      PlayerController* player = window.controller();
      QVERIFY(window.openMedia(clip));
      player->seek(0.8);
      QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - 0.8) < 1e-6);
      QTest::keyClick(&window, Qt::Key_I);
      QCOMPARE(window.annotations()->pendingStart(), 0.8);
      player->seek(2.0);
      QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - 2.0) < 1e-6);
      QTest::keyClick(&window, Qt::Key_O);
      const AnnotationDocument& doc = window.annotations()->document();
      QCOMPARE(doc.items().size(), size_t{1});
      QCOMPARE(doc.items()[0].startSeconds, 0.8);
      QCOMPARE(doc.items()[0].endSeconds, 2.0);
      QCOMPARE(doc.items()[0].condition, AudioCondition::Real);
      QVERIFY(doc.items()[0].method.find("ezvsl") != std::string::npos);
      QVERIFY(QFile::exists(sidecar));

      // Shift+drag draws a box at this frame; the view is letterboxed, so map frame coordinates.
      VideoView* view = window.grid()->view(0);
      const QRectF frame = view->frameRect();
      const auto at = [&](double u, double v) {
        return QPoint(static_cast<int>(frame.x() + u * frame.width()),
                      static_cast<int>(frame.y() + v * frame.height()));
      };
      QTest::mousePress(view, Qt::LeftButton, Qt::ShiftModifier, at(0.25, 0.25));
      QTest::mouseMove(view, at(0.5, 0.6));
      QTest::mouseRelease(view, Qt::LeftButton, Qt::ShiftModifier, at(0.5, 0.6));
      QCOMPARE(doc.items()[0].keyframes().size(), size_t{1});
      const NormalizedBox drawn = doc.items()[0].keyframes()[0].box;
      QVERIFY(std::abs(drawn.x0 - 0.25) < 0.01 && std::abs(drawn.y1 - 0.6) < 0.01);
      QCOMPARE(doc.items()[0].keyframes()[0].timeSeconds, 2.0);
      QCOMPARE(view->boxes().size(), size_t{1});  // shown on the view at once
      player->seek(1.0);
      QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - 1.0) < 1e-6);
      QTest::mousePress(view, Qt::LeftButton, Qt::ShiftModifier, at(0.0, 0.0));
      QTest::mouseMove(view, at(0.3, 0.3));
      QTest::mouseRelease(view, Qt::LeftButton, Qt::ShiftModifier, at(0.3, 0.3));
      QCOMPARE(doc.items()[0].keyframes().size(), size_t{2});
      // "Remove box here" takes this frame's keyframe away; undo brings it back.
      window.findChild<QPushButton*>("removeBox")->click();
      QCOMPARE(doc.items()[0].keyframes().size(), size_t{1});
      QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
      QCOMPARE(doc.items()[0].keyframes().size(), size_t{2});

      // Tag and note through the panel.
      auto* tag = window.findChild<QComboBox*>("annotationTag");
      tag->setCurrentIndex(tag->findData(static_cast<int>(FailureTag::MissedSource)));
      auto* note = window.findChild<QLineEdit*>("annotationNote");
      note->setText("dog, \"woof\"");
      Q_EMIT note->editingFinished();
      QCOMPARE(doc.items()[0].tag, FailureTag::MissedSource);
      QCOMPARE(doc.items()[0].note, std::string("dog, \"woof\""));
      QCOMPARE(AnnotationDocument::load(sidecar.toStdString()).items()[0].note,
               std::string("dog, \"woof\""));
      QVERIFY(QFile::exists(sidecar + ".bak"));
      QCOMPARE(window.timeline()->markers().size(), size_t{1});

      // Undo the note, then redo it; the file follows.
      QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
      QCOMPARE(doc.items()[0].note, std::string());
      QCOMPARE(AnnotationDocument::load(sidecar.toStdString()).items()[0].note, std::string());
      QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
      QCOMPARE(doc.items()[0].note, std::string("dog, \"woof\""));

      // Exports.
      window.annotations()->exportCoco(dir.filePath("out.coco.json"));
      window.annotations()->exportCsv(dir.filePath("out.csv"));
      const Json coco = Json::parse(readFile(dir.filePath("out.coco.json").toStdString()));
      QCOMPARE(coco.at("annotations").asArray().size(), size_t{2});
      QCOMPARE(coco.at("images").asArray()[0].at("width").asInt(), int64_t{640});
      // Its images are real files beside it, the frames of the boxes (issue 19 item 4).
      for (const Json& image : coco.at("images").asArray()) {
        const QImage frame(dir.filePath(QString::fromStdString(image.at("file_name").asString())));
        QVERIFY2(frame.width() == 640 && frame.height() == 360,
                 image.at("file_name").asString().c_str());
      }
      const QString csv = QString::fromStdString(readFile(dir.filePath("out.csv").toStdString()));
      QVERIFY(csv.contains("missed-source"));  // as the JSON and COCO files spell it
      QVERIFY(csv.contains("\"dog, \"\"woof\"\"\""));

      // Scores of the view's model on the two boxes (+ samples every 0.5 s in the range).
      window.evaluateAnnotations();
      QVERIFY(waitUntil([&] { return !window.evaluationRunning(); }, 60000));
      auto* table = window.findChild<QTableWidget*>("annotationScores");
      QCOMPARE(table->rowCount(), 1);
      QVERIFY(table->item(0, 1)->text().toInt() >= 4);  // 0.8, 1.0, 1.3, 1.8, 2.0
      const double auc = table->item(0, 3)->text().toDouble();
      QVERIFY(auc >= 0.0 && auc <= 100.0);

      const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
      if (!shots.isEmpty()) {
        for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
          if (dock->objectName() == "annotationDock") {
            dock->raise();
          }
        }
        player->seek(1.6);
        QTest::qWait(800);
        window.screen()->grabWindow(window.winId()).save(shots + "/screenshot-failures.png");
      }
    }
    // A new window finds the annotations next to the clip.
    MainWindow again;
    QVERIFY(again.openMedia(clip));
    QCOMPARE(again.annotations()->document().items().size(), size_t{1});
    QCOMPARE(again.annotations()->document().items()[0].keyframes().size(), size_t{2});
    QCOMPARE(again.annotations()->document().items()[0].note, std::string("dog, \"woof\""));
  }

  // Snapshot (PNG + the audio windows + JSON) and an mp4 of a range of the grid, and cancel.
  void exportsSnapshotAndRange() {
    QTemporaryDir dir;
    MainWindow window;
    heardmap::test::showActive(window);
    window.ensureModels();
    window.setViewCount(2);
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    player->setViewCondition(1, AudioCondition::Silence);
    player->seek(1.6);
    QVERIFY(allViewsAt(player, 1.6));
    const QStringList files = window.saveSnapshot(dir.filePath("snap.png"));
    QCOMPARE(files.size(), 4);  // png, 2 distinct windows, json
    const QImage png(dir.filePath("snap.png"));
    QCOMPARE(png.width(), 2 * window.grid()->view(0)->width());
    QVERIFY(QFile::exists(dir.filePath("snap.wav")));
    QVERIFY(QFile::exists(dir.filePath("snap.view2.wav")));
    // 3 s at 16 kHz, 16-bit mono: 44-byte header + 96,000 bytes.
    QCOMPARE(QFileInfo(dir.filePath("snap.wav")).size(), qint64{44 + 96000});
    const Json meta = Json::parse(readFile(dir.filePath("snap.json").toStdString()));
    QCOMPARE(meta.at("views").asArray().size(), size_t{2});
    QCOMPARE(meta.at("views").asArray()[1].at("audio_condition").asString(),
             std::string("silence"));
    QCOMPARE(meta.at("time_s").asNumber(), 1.6);
    // The overlay each view was drawn with (issue 19 item 4).
    const Json& overlay = meta.at("views").asArray()[0].at("overlay");
    QCOMPARE(overlay.at("colormap").asString(), std::string("jet"));
    QCOMPARE(overlay.at("normalization").asString(), std::string("minmax"));
    QCOMPARE(overlay.at("opacity").asNumber(), 0.5);

    const QString out = dir.filePath("grid.mp4");
    QVERIFY(window.exportRange(0.5, 1.5, out));
    VideoDecoder decoded(out.toStdString());
    QCOMPARE(decoded.info().width, 1280);
    QCOMPARE(decoded.info().height, 360);
    QVERIFY(decoded.info().hasAudio);
    QVERIFY(std::abs(decoded.info().durationSeconds - 1.0) < 0.1);

    // Cancel stops the export and leaves no file.
    const QString cancelled = dir.filePath("cancelled.mp4");
    QTimer::singleShot(50, &window, [&] { window.cancelExport(); });
    QVERIFY(!window.exportRange(0.0, 3.0, cancelled));
    QVERIFY(!QFile::exists(cancelled));
    QCOMPARE(QDir(dir.path()).entryList({"*.tmp*", ".*mp4*"}, QDir::Files | QDir::Hidden).size(),
             0);
  }

  // Recent files, views, probes, overlay and rebound keys come back in a new window.
  void sessionIsRestored() {
    QSettings().clear();
    {
      MainWindow window;
      heardmap::test::showActive(window);
      QVERIFY(window.openMedia(fixture("player.mp4")));
      window.setViewCount(3);
      QVERIFY(window.loadModelIntoView(1, modelB_));
      window.ensureModels();
      window.controller()->setViewCondition(2, AudioCondition::Silence);
      QString conflict;
      QVERIFY(!window.shortcuts()->rebind("play-pause", QKeySequence(Qt::Key_I), &conflict));
      QCOMPARE(conflict, QString("Failure range start"));
      QVERIFY(window.shortcuts()->rebind("play-pause", QKeySequence(Qt::Key_K)));
      OverlaySettings settings = window.overlayPanel()->settings();
      settings.colormap = ColormapId::Viridis;
      window.overlayPanel()->setSettings(settings);
      window.close();  // saves the session
    }
    MainWindow window;
    window.restoreSession();
    window.ensureModels();
    heardmap::test::showActive(window);
    QCOMPARE(window.recentFiles().value(0), QFileInfo(fixture("player.mp4")).absoluteFilePath());
    QCOMPARE(window.controller()->viewCount(), 3);
    QCOMPARE(window.controller()->view(1).checkpointPath, QFileInfo(modelB_).absoluteFilePath());
    QCOMPARE(window.recentCheckpoints().value(0), QFileInfo(modelB_).absoluteFilePath());
    QCOMPARE(window.controller()->view(2).condition, AudioCondition::Silence);
    QCOMPARE(window.overlayPanel()->settings().colormap, ColormapId::Viridis);
    QCOMPARE(window.shortcuts()->key("play-pause"), QKeySequence(Qt::Key_K));
    QVERIFY(window.openMedia(window.recentFiles().value(0)));
    QTest::keyClick(&window, Qt::Key_K);
    QTRY_VERIFY(window.controller()->isPlaying());
    QTest::keyClick(&window, Qt::Key_K);
    QTRY_VERIFY(!window.controller()->isPlaying());
    // F1 shows the key list (with the new binding); any key hides it.
    QTest::keyClick(&window, Qt::Key_F1);
    QTRY_VERIFY(window.helpOverlay()->isVisible());
    QTest::keyClick(window.helpOverlay(), Qt::Key_Escape);
    QTRY_VERIFY(!window.helpOverlay()->isVisible());
    QSettings().clear();
  }

  // A PyTorch file read as the user says (File > Open checkpoint asks; --method on the command
  // line), the SSPL release by its folder, both running in the player and kept by the session.
  void officialCheckpointsReadAsTheUserSays() {
    QSettings().clear();
    QVERIFY(asksForReading(fixture("official/ezvsl_best.pth")));
    QVERIFY(asksForReading(fixture("official/lvs_best.pth.tar")));
    QVERIFY(!asksForReading(fixture("official/sspl/frame_best.pth")));  // says what it is
    QVERIFY(!asksForReading(modelA_));
    QStringList labels;
    for (const CheckpointReading& reading : checkpointReadings()) {
      labels << reading.label;
    }
    QVERIFY2(labels.size() == 7 && labels[0].startsWith("As its tensor names say") &&
                 labels.contains("FNAC (--method fnac)") &&
                 labels.contains("SSL-Align (--method sslalign)") &&
                 labels.last().contains("momentum branch"),
             qPrintable(labels.join(" | ")));
    {
      MainWindow window;
      heardmap::test::showActive(window);
      window.setViewCount(2);
      LoadOptions fnac;
      fnac.method = "fnac";
      QVERIFY(window.loadModelIntoView(0, fixture("official/ezvsl_best.pth"),
                                       MainWindow::LoadFailure::ShowInView, fnac));
      QVERIFY(window.loadModelIntoView(1, fixture("official/sspl")));
      PlayerController* player = window.controller();
      QCOMPARE(player->view(0).model->info().config.method, std::string("fnac"));
      QVERIFY(player->view(1).model->info().config.network() == Architecture::SsplVgg);
      // The panel says what each file held and how it was read.
      window.selectView(1);
      const QString sspl = window.findChild<QLabel*>("trainedState")->text();
      QVERIFY2(sspl.startsWith("trained outside Heardmap: sspl (SSPL release") &&
                   sspl.contains("read as SSPL"),
               qPrintable(sspl));
      window.selectView(0);
      const QString fnacLine = window.findChild<QLabel*>("trainedState")->text();
      QVERIFY2(fnacLine.contains("ezvsl_best.pth (zip .pth") && fnacLine.contains("read as FNAC"),
               qPrintable(fnacLine));
      QVERIFY(window.openMedia(fixture("player.mp4")));
      QTRY_VERIFY_WITH_TIMEOUT(player->view(1).raw.width == 14 && player->view(0).raw.width > 0,
                               20000);
      window.close();  // saves the session
    }
    MainWindow window;
    window.restoreSession();
    QCOMPARE(window.controller()->view(0).loadOptions.method, std::string("fnac"));
    QCOMPARE(window.controller()->view(0).model->info().config.method, std::string("fnac"));
    QVERIFY(window.controller()->view(1).model->info().config.network() == Architecture::SsplVgg);
    QSettings().clear();
  }

 private:
  QTemporaryDir models_;
  QString modelA_;
  QString modelB_;
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestWorkflow>(argc, argv);
}
#include "tst_Workflow.moc"
