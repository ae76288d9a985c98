// How views come and go in the real main window under Xvfb (issue 19 item 1): a new view takes
// the next shipped model not yet shown and default overlay settings, not a copy of the previous
// view; per-view overlay settings survive a restart; --fresh keeps the saved recent files.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QInputDialog>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QtTest>
#include <algorithm>

#include "core/ml/LocalizationModel.h"
#include "tests/GlTestMain.h"
#include "tests/TestFixtures.h"
#include "ui/MainWindow.h"
#include "ui/OverlayPanel.h"
#include "ui/PlayerController.h"
#include "ui/TimelineWidget.h"
#include "ui/VideoView.h"
#include "ui/ViewGrid.h"
#include "ui/ViewLabels.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

// A checkpoint of method in dir under name, flagged trained (a stand-in for a shipped model).
void ship(const QTemporaryDir& dir, const QString& name, const std::string& method) {
  ModelConfig config = ModelConfig::small();
  config.method = method;
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = config.defaultImageSize();
  auto model = LocalizationModel::createUntrained(config, contract, 3);
  model->info().trained = true;
  model->save(dir.filePath(name).toStdString(), DType::F16, /*inferenceOnly=*/true);
}

QString shownModel(MainWindow& window, int view) {
  return QFileInfo(window.controller()->view(view).checkpointPath).completeBaseName();
}

ColormapId colormapOf(MainWindow& window, int view) {
  return window.controller()->view(view).processor.settings().colormap;
}

// Sets the overlay panel's colormap (to the selected view, or every view when shared).
void chooseColormap(MainWindow& window, ColormapId colormap) {
  OverlaySettings settings = window.overlayPanel()->settings();
  settings.colormap = colormap;
  window.overlayPanel()->setSettings(settings);
  Q_EMIT window.overlayPanel()->settingsChanged(settings);
}

}  // namespace

class TestViews : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP("needs a real GL context: run under xvfb-run");
    }
    heardmap::test::useTestSession("tst_Views");
    LocalizationModel::setThreadCount(2);
    QVERIFY(shipped_.isValid());
    ship(shipped_, "ezvsl-small.safetensors", "ezvsl");
    ship(shipped_, "lvs-small.safetensors", "lvs");
    ship(shipped_, "marginnce-small.safetensors", "marginnce");
    qputenv("HEARDMAP_MODELS", shipped_.path().toUtf8());
  }

  void init() { QSettings().clear(); }

  void newViewsTakeTheNextShippedModelAndDefaultSettings() {
    MainWindow window;
    window.ensureModels();
    QCOMPARE(shownModel(window, 0), QString("ezvsl-small"));
    // View 1's own colormap (settings per view).
    window.overlayPanel()->findChild<QCheckBox*>("sharedOverlay")->setChecked(false);
    chooseColormap(window, ColormapId::Viridis);
    QCOMPARE(colormapOf(window, 0), ColormapId::Viridis);
    // Raising Views (the spin box) adds views with the next models and the default overlay.
    window.findChild<QSpinBox*>("viewCount")->setValue(3);
    QCOMPARE(window.controller()->viewCount(), 3);
    QCOMPARE(shownModel(window, 1), QString("lvs-small"));
    QCOMPARE(shownModel(window, 2), QString("marginnce-small"));
    QCOMPARE(colormapOf(window, 1), OverlaySettings{}.colormap);
    QCOMPARE(colormapOf(window, 2), OverlaySettings{}.colormap);
    // Once every shipped model is shown, they come again in order; shared settings are every
    // new view's too.
    window.overlayPanel()->findChild<QCheckBox*>("sharedOverlay")->setChecked(true);
    chooseColormap(window, ColormapId::Inferno);
    window.findChild<QSpinBox*>("viewCount")->setValue(4);
    QCOMPARE(shownModel(window, 3), QString("ezvsl-small"));
    QCOMPARE(colormapOf(window, 3), ColormapId::Inferno);
    // "Add as a view" (a checkpoint compared from the Trainer) takes that checkpoint.
    QVERIFY(window.compareCheckpoint(shipped_.filePath("marginnce-small.safetensors")));
    QCOMPARE(window.controller()->viewCount(), 5);
    QCOMPARE(shownModel(window, 4), QString("marginnce-small"));
  }

  // The views of a grid draw one frame texture, uploaded once per frame by whichever view draws
  // first (issue 19 item 7): every view shows the same picture, new frames reach every view, and
  // the texture outlives the views that are removed.
  void everyViewDrawsTheSharedFrame() {
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.setViewCount(4);
    window.ensureModels();
    OverlaySettings settings = window.overlayPanel()->settings();
    settings.opacity = 0.0f;  // the picture alone
    window.overlayPanel()->setSettings(settings);
    Q_EMIT window.overlayPanel()->settingsChanged(settings);
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    // Each view's picture below its caption and left of its colour bar (the views of a 2x2 grid
    // have one size).
    const auto pictures = [&] {
      std::vector<QImage> out;
      for (int i = 0; i < window.grid()->count(); ++i) {
        VideoView* view = window.grid()->view(i);
        const QRectF f = view->frameRect();
        const qreal ratio = view->devicePixelRatioF();
        out.push_back(view->grabFramebuffer().copy(
            QRectF(f.x() + 0.05 * f.width(), f.y() + 0.55 * f.height(), 0.55 * f.width(),
                   0.4 * f.height())
                .toRect()
                .intersected(QRect(0, 0, static_cast<int>(view->width() * ratio),
                                   static_cast<int>(view->height() * ratio)))));
      }
      return out;
    };
    const auto sameEverywhere = [&](const std::vector<QImage>& shots) {
      return std::all_of(shots.begin(), shots.end(),
                         [&](const QImage& shot) { return shot == shots.front(); });
    };
    std::vector<QImage> seen;
    for (const double t : {0.4, 2.0}) {
      player->seek(t);
      QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - t) < 1e-6);
      QTest::qWait(200);
      const std::vector<QImage> shots = pictures();
      QVERIFY(sameEverywhere(shots));
      seen.push_back(shots.front());
    }
    QVERIFY(seen[0] != seen[1]);  // a new frame reached the views
    window.setViewCount(1);
    window.setViewCount(3);
    window.ensureModels();
    player->seek(0.4);
    QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - 0.4) < 1e-6);
    QTest::qWait(200);
    const std::vector<QImage> after = pictures();
    QCOMPARE(after.size(), size_t{3});
    QVERIFY(sameEverywhere(after));
    QVERIFY(after.front() == seen[0]);  // the frame of 0.4 s again, not a stale texture
  }

  void perViewOverlaySurvivesARestart() {
    {
      MainWindow window;
      window.setViewCount(2);
      window.ensureModels();
      window.overlayPanel()->findChild<QCheckBox*>("sharedOverlay")->setChecked(false);
      window.selectView(0);
      chooseColormap(window, ColormapId::Viridis);
      window.selectView(1);
      chooseColormap(window, ColormapId::Gray);
      window.close();  // saves the session
    }
    MainWindow window;
    window.restoreSession();
    QVERIFY(!window.overlayPanel()->sharedSettings());
    QCOMPARE(colormapOf(window, 0), ColormapId::Viridis);
    QCOMPARE(colormapOf(window, 1), ColormapId::Gray);
    // --views 3 over the restored session: the new view gets the model not yet shown.
    window.setViewCount(3);
    window.ensureModels();
    QCOMPARE(shownModel(window, 2), QString("marginnce-small"));
  }

  void freshKeepsTheRecentFiles() {
    {
      MainWindow window;
      QVERIFY(window.openMedia(fixture("clip.mp4")));
      window.close();
    }
    {
      MainWindow window;  // heardmap --fresh
      window.restoreRecentLists();
      QVERIFY(window.openMedia(fixture("clip.webm")));
      QCOMPARE(window.controller()->viewCount(), 1);
      window.close();
    }
    MainWindow window;
    window.restoreSession();
    QCOMPARE(window.recentFiles().size(), 2);
    QVERIFY(window.recentFiles().contains(QFileInfo(fixture("clip.mp4")).absoluteFilePath()));
  }

  // Issue 19 item 3: the muted-mic probe gives an EZ-VSL-family model the input of silence (its
  // noise floor is below the spectrogram's); the view says so, and not for a model that hears it.
  void mutedMicSaysWhenItIsSilence() {
    MainWindow window;
    window.setViewCount(2, /*fill=*/false);
    QVERIFY(window.loadModelIntoView(0, shipped_.filePath("ezvsl-small.safetensors")));
    QVERIFY(window.loadModelIntoView(1, fixture("official/sspl")));
    PlayerController* player = window.controller();
    player->setAllViewConditions(AudioCondition::MutedMic);
    bool warning = false;
    QVERIFY(viewCaption(0, player->view(0), false, &warning)[1].contains("= silence"));
    const QString sspl = viewCaption(1, player->view(1), false, &warning)[1];
    QVERIFY2(sspl == "hears: muted mic", qPrintable(sspl));
  }

  // Issue 19 item 2: the probe bar shows what the selected view hears, and a view that hears the
  // off-screen clip names it.
  void probesShowTheSelectedViewsCondition() {
    MainWindow window;
    window.setViewCount(2);
    PlayerController* player = window.controller();
    QVERIFY(player->setOffScreenClip(fixture("clip.webm")));
    player->setViewCondition(1, AudioCondition::OffScreen);
    bool warning = false;
    QCOMPARE(viewCaption(1, player->view(1), false, &warning, player->offScreenClip())[1],
             QString("hears: off-screen audio (clip.webm)"));
    const auto checked = [&](const char* name) {
      return window.findChild<QAction*>(QString("probe-") + name)->isChecked();
    };
    window.selectView(1);
    QVERIFY(checked("off-screen") && !checked("real"));
    window.selectView(0);
    QVERIFY(checked("real") && !checked("off-screen"));
    window.findChild<QCheckBox*>("probeAllViews")->setChecked(false);
    window.findChild<QAction*>("probe-silence")->trigger();
    QCOMPARE(player->view(0).condition, AudioCondition::Silence);
    QCOMPARE(player->view(1).condition, AudioCondition::OffScreen);
    QVERIFY(checked("silence"));
  }

  // Issue 19 item 2: the timeline's peak-score lane has a legend (each view's colour and name)
  // and a y-axis.
  void timelineLegendNamesEveryView() {
    TimelineWidget timeline;
    timeline.resize(800, 180);
    timeline.setDuration(4.0);
    const QColor first(255, 200, 0);
    const QColor second(60, 170, 255);
    timeline.setTracks({{"1 ezvsl small", first, {{500, 0.3f}}}, {"2 sspl", second, {}}});
    const QImage shot = timeline.grab().toImage();
    // The lane starts below the waveform (44 px) and the spectrogram (40 px) rows.
    const int row = 2 + 44 + 3 + 40 + 3 + 6;
    int firstAt = -1;
    int secondAt = -1;
    for (int x = 0; x < shot.width(); ++x) {
      const QColor c = shot.pixelColor(x, row);
      firstAt = firstAt < 0 && c == first ? x : firstAt;
      secondAt = secondAt < 0 && c == second ? x : secondAt;
    }
    QVERIFY2(firstAt > 0 && secondAt > firstAt + 50,
             qPrintable(QString("%1 %2").arg(firstAt).arg(secondAt)));

    // Six views with long names in a narrow timeline: every one keeps its swatch (names elided),
    // none falls off the end.
    std::vector<TimelineTrack> six;
    for (int i = 0; i < 6; ++i) {
      six.push_back({QStringLiteral("%1 marginnce small (marginnce-small-long-name)").arg(i + 1),
                     QColor::fromHsv(i * 60, 255, 255).toRgb(),
                     {}});
    }
    timeline.resize(700, 180);
    timeline.setTracks(six);
    const QImage narrow = timeline.grab().toImage();
    for (const TimelineTrack& track : six) {
      bool found = false;
      for (int x = 0; x < narrow.width() && !found; ++x) {
        found = narrow.pixelColor(x, row) == track.color;
      }
      QVERIFY2(found, qPrintable(track.name + " has no swatch"));
    }
  }

  // Issue 19 item 2: a double-click names a view; the name leads its caption and legend entry and
  // survives a restart.
  void viewsCanBeNamed() {
    {
      MainWindow window;
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      window.setViewCount(2);
      QTimer::singleShot(300, [] {  // the name dialog: type a name, OK
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (dialog != nullptr) {
          dialog->setTextValue("  dog baseline ");
          dialog->accept();
        }
      });
      QTest::mouseDClick(window.grid()->view(1), Qt::LeftButton, {}, QPoint(50, 50));
      QCOMPARE(window.controller()->view(1).name, QString("dog baseline"));
      QVERIFY(window.grid()->view(1)->caption().value(0).startsWith("2  dog baseline: lvs small"));
      window.close();
    }
    MainWindow window;
    window.restoreSession();
    QCOMPARE(window.controller()->view(1).name, QString("dog baseline"));
    QVERIFY(window.controller()->view(0).name.isEmpty());
  }

 private:
  QTemporaryDir shipped_;
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestViews>(argc, argv);
}
#include "tst_Views.moc"
