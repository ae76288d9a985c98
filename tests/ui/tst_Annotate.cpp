// Annotation beyond one box in the real main window under Xvfb (issue 19 items 5 and 6): several
// objects per record, each its own track (Ctrl+Shift+drag starts one), points (Shift+click),
// object labels from the panel, COCO labels of another tool imported and scored, and the picture
// zoomed (wheel) and panned (drag) in every view at once, with boxes still landing where drawn.
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QTableWidget>
#include <QWheelEvent>
#include <QtTest>

#include "core/AtomicFile.h"
#include "core/ml/LocalizationModel.h"
#include "tests/GlTestMain.h"
#include "tests/TestFixtures.h"
#include "ui/AnnotationController.h"
#include "ui/HelpOverlay.h"
#include "ui/MainWindow.h"
#include "ui/PlayerController.h"
#include "ui/VideoView.h"
#include "ui/ViewGrid.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::waitUntil;

namespace {

// The widget point of a frame point (u, v in [0, 1]) of a view, letterboxed and zoomed.
QPoint at(VideoView* view, double u, double v) {
  const QRectF frame = view->frameRect();
  return QPoint(static_cast<int>(std::lround(frame.x() + u * frame.width())),
                static_cast<int>(std::lround(frame.y() + v * frame.height())));
}

void drag(VideoView* view, Qt::KeyboardModifiers modifiers, QPoint from, QPoint to) {
  QTest::mousePress(view, Qt::LeftButton, modifiers, from);
  QTest::mouseMove(view, to);
  QTest::mouseRelease(view, Qt::LeftButton, modifiers, to);
}

void seekTo(PlayerController* player, double t) {
  player->seek(t);
  QTRY_VERIFY(std::abs(player->currentFrame().timeSeconds - t) < 1e-6);
}

void wheel(VideoView* view, QPoint where, int notches) {
  QWheelEvent event(where, view->mapToGlobal(where), QPoint(), QPoint(0, 120 * notches),
                    Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(view, &event);
}

}  // namespace

class TestAnnotate : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP("needs a real GL context: run under xvfb-run");
    }
    heardmap::test::useTestSession("tst_Annotate");
    LocalizationModel::setThreadCount(2);
  }

  void init() { QSettings().clear(); }

  void severalObjectsAndPointsPerRecord() {
    QTemporaryDir dir;
    const QString clip = dir.filePath("street.mp4");
    QVERIFY(QFile::copy(fixture("player.mp4"), clip));
    MainWindow window;
    heardmap::test::showActive(window);
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(clip));
    seekTo(player, 1.0);
    QTest::keyClick(&window, Qt::Key_I);
    seekTo(player, 2.0);
    QTest::keyClick(&window, Qt::Key_O);
    const AnnotationDocument& doc = window.annotations()->document();
    QCOMPARE(doc.items().size(), size_t{1});
    VideoView* view = window.grid()->view(0);

    // Shift+drag: object 1's box. Ctrl+Shift+drag: a second object. Shift+click: a point, a
    // third object (a point is never a keyframe of a box track).
    drag(view, Qt::ShiftModifier, at(view, 0.1, 0.1), at(view, 0.3, 0.4));
    drag(view, Qt::ShiftModifier | Qt::ControlModifier, at(view, 0.6, 0.5), at(view, 0.9, 0.9));
    QTest::mouseClick(view, Qt::LeftButton, Qt::ShiftModifier, at(view, 0.5, 0.25));
    const FailureAnnotation& record = doc.items()[0];
    QCOMPARE(record.objects.size(), size_t{3});
    QCOMPARE(record.objects[1].shape, ObjectShape::Box);
    QVERIFY(std::abs(record.keyframes(2)[0].box.x0 - 0.6) < 0.01);
    QCOMPARE(record.objects[2].shape, ObjectShape::Point);
    const NormalizedBox point = record.keyframes(3)[0].box;
    QVERIFY(std::abs(point.x0 - 0.5) < 0.01 && std::abs(point.y0 - 0.25) < 0.01);
    QCOMPARE(point.x1, point.x0);
    QCOMPARE(view->boxes().size(), size_t{3});  // every view draws every object
    QCOMPARE(window.annotations()->selectedObject(), 3);

    // Another Shift+drag on the next frame goes to the selected object, chosen in the panel,
    // which also names it.
    auto* objects = window.findChild<QComboBox*>("annotationObject");
    QCOMPARE(objects->count(), 4);  // three objects and "new object"
    objects->setCurrentIndex(1);
    QCOMPARE(window.annotations()->selectedObject(), 2);
    auto* label = window.findChild<QLineEdit*>("annotationObjectLabel");
    label->setText("car");
    Q_EMIT label->editingFinished();
    QCOMPARE(record.objects[1].label, std::string("car"));
    seekTo(player, 1.52);
    drag(view, Qt::ShiftModifier, at(view, 0.5, 0.5), at(view, 0.8, 0.8));
    QCOMPARE(doc.items()[0].keyframes(2).size(), size_t{2});
    QCOMPARE(doc.items()[0].keyframes(1).size(), size_t{1});
    // Undo takes the last keyframe away and leaves the others.
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(doc.items()[0].keyframes(2).size(), size_t{1});
    QCOMPARE(doc.items()[0].objects.size(), size_t{3});

    // Saved beside the clip, every object: a new window reads them back.
    MainWindow again;
    QVERIFY(again.openMedia(clip));
    QVERIFY(again.annotations()->document().items()[0] == doc.items()[0]);

    const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
      window.annotations()->select(1);
      for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
        if (dock->objectName() == "annotationDock") {
          dock->raise();
        }
      }
      seekTo(player, 1.2);
      QTest::qWait(800);
      window.screen()->grabWindow(window.winId()).save(shots + "/screenshot-objects.png");
    }
  }

  // docs/screenshot-objects.png: three objects on a real clip (HEARDMAP_SCREENSHOT_CLIP, e.g.
  // ../shared/media/guitar_keyboard_duo.mp4) in two views. Only with HEARDMAP_SCREENSHOT_DIR.
  void screenshotOfObjectsOnARealClip() {
    const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
    const QString source = qEnvironmentVariable("HEARDMAP_SCREENSHOT_CLIP");
    if (shots.isEmpty() || source.isEmpty()) {
      QSKIP("a screenshot for the docs: set HEARDMAP_SCREENSHOT_DIR and HEARDMAP_SCREENSHOT_CLIP");
    }
    QTemporaryDir dir;
    const QString clip = dir.filePath(QFileInfo(source).fileName());
    QVERIFY(QFile::copy(source, clip));
    MainWindow window;
    window.resize(1400, 860);
    heardmap::test::showActive(window);
    window.controller()->setViewCount(2);
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(clip));
    AnnotationController* notes = window.annotations();
    notes->markStart(0.8);
    notes->markEnd(2.4, {"ezvsl small", "ezvsl-small.safetensors", AudioCondition::Real});
    notes->setTag(1, FailureTag::WrongObject, {});
    notes->setBox(1.0, {0.02, 0.45, 0.52, 0.82});
    notes->setObjectLabel(1, 1, "guitar");
    notes->setBox(1.0, {0.37, 0.6, 1.0, 0.8}, /*newObject=*/true);
    notes->setObjectLabel(1, 2, "keyboard");
    notes->setBox(1.0, {0.3, 0.66, 0.3, 0.66}, /*newObject=*/true);
    notes->setObjectLabel(1, 3, "strings");
    notes->selectObject(2);
    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
      if (dock->objectName() == "annotationDock") {
        dock->raise();
      }
    }
    player->seek(1.0);  // 29.97 fps: the frame of 1.001 s
    QTest::qWait(2500);
    window.screen()->grabWindow(window.winId()).save(shots + "/screenshot-objects.png");
  }

  // Labels made in another tool (CVAT's COCO export: frames named by number, no times) are one
  // record whose boxes exist at their frames only; the views are scored on those frames.
  void importedLabelsAreScored() {
    QTemporaryDir dir;
    const QString clip = dir.filePath("street.mp4");
    QVERIFY(QFile::copy(fixture("player.mp4"), clip));
    const QString labels = dir.filePath("cvat.json");
    writeFileAtomically(labels.toStdString(), R"({
      "categories": [{"id": 1, "name": "speaker"}],
      "images": [{"id": 1, "file_name": "frame_000030.PNG", "width": 640, "height": 360},
                 {"id": 2, "file_name": "frame_000045.PNG", "width": 640, "height": 360}],
      "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [64, 36, 128, 72]},
                      {"id": 2, "image_id": 1, "category_id": 1, "bbox": [320, 180, 64, 36]},
                      {"id": 3, "image_id": 2, "category_id": 1, "bbox": [70, 36, 128, 72]}]})");
    MainWindow window;
    heardmap::test::showActive(window);
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(clip));
    window.importLabels(labels);
    const AnnotationDocument& doc = window.annotations()->document();
    QCOMPARE(doc.items().size(), size_t{1});
    const FailureAnnotation& imported = doc.items()[0];
    QVERIFY(imported.keyframesOnly);
    QCOMPARE(imported.keyframeTimes(), (std::vector<double>{1.2, 1.8}));  // frames 30, 45 at 25
    QCOMPARE(imported.objects[0].label, std::string("speaker"));
    seekTo(player, 1.2);
    QTRY_COMPARE(window.grid()->view(0)->boxes().size(), size_t{2});
    seekTo(player, 1.4);  // no label on this frame: nothing drawn
    QTRY_COMPARE(window.grid()->view(0)->boxes().size(), size_t{0});

    window.evaluateAnnotations();
    QVERIFY(waitUntil([&] { return !window.evaluationRunning(); }, 60000));
    auto* table = window.findChild<QTableWidget*>("annotationScores");
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 1)->text().toInt(), 2);  // the two labelled frames only

    // A broken file changes nothing (the error names the field).
    writeFileAtomically(dir.filePath("bad.json").toStdString(),
                        R"({"images": [], "annotations": [{"image_id": 4, "bbox": [1,1,1,1]}]})");
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression("bad.json: annotations\\[0\\]: image_id 4"));
    window.importLabels(dir.filePath("bad.json"));
    QCOMPARE(doc.items().size(), size_t{1});
  }

  // Scoring stops when asked (the button reads "Stop scoring" meanwhile) and when the window
  // closes, at the next frame, not after the whole evaluation.
  void scoringStopsWhenAsked() {
    QTemporaryDir dir;
    const QString clip = dir.filePath("street.mp4");
    QVERIFY(QFile::copy(fixture("player.mp4"), clip));
    // A label on each of the clip's 75 frames.
    std::string images;
    std::string boxes;
    for (int f = 0; f < 75; ++f) {
      images += (f ? ", " : "") + std::string("{\"id\": ") + std::to_string(f) +
                ", \"file_name\": \"frame_" + std::to_string(f) + ".png\"}";
      boxes += (f ? ", " : "") + std::string("{\"image_id\": ") + std::to_string(f) +
               ", \"bbox\": [100, 50, 200, 150]}";
    }
    const QString labels = dir.filePath("every-frame.json");
    writeFileAtomically(labels.toStdString(),
                        "{\"images\": [" + images + "], \"annotations\": [" + boxes + "]}");
    auto window = std::make_unique<MainWindow>();
    heardmap::test::showActive(*window);
    window->setViewCount(2);
    window->ensureModels();
    QVERIFY(window->openMedia(clip));
    window->importLabels(labels);
    QCOMPARE(window->annotations()->document().items().front().keyframeTimes().size(), size_t{75});
    auto* button = window->findChild<QPushButton*>("evaluateAnnotations");
    auto* status = window->findChild<QLabel*>("evaluationStatus");
    button->click();
    QVERIFY(window->evaluationRunning());
    QCOMPARE(button->text(), QString("Stop scoring"));
    QTRY_VERIFY(status->text().startsWith("scoring: "));  // a frame or more scored
    button->click();
    QVERIFY(waitUntil([&] { return !window->evaluationRunning(); }, 30000));
    QTRY_VERIFY2(status->text().startsWith("scoring stopped after"), qPrintable(status->text()));
    auto* table = window->findChild<QTableWidget*>("annotationScores");
    QVERIFY(table->item(0, 1)->text().toInt() < 75);
    QCOMPARE(button->text(), QString("Score views on my boxes"));

    // Closing the window during a run returns within a frame or two.
    button->click();
    QTRY_VERIFY(status->text().startsWith("scoring: "));
    QElapsedTimer closing;
    closing.start();
    window.reset();
    QVERIFY2(closing.elapsed() < 2000, qPrintable(QString::number(closing.elapsed())));
  }

  // The wheel zooms about the cursor in every view at once, a drag pans, and a box drawn on the
  // zoomed picture lands on the frame where it was drawn.
  void zoomAndPanEveryView() {
    MainWindow window;
    heardmap::test::showActive(window);
    window.ensureModels();
    PlayerController* player = window.controller();
    QVERIFY(window.openMedia(fixture("player.mp4")));
    player->setViewCount(2);
    seekTo(player, 1.0);
    VideoView* view = window.grid()->view(0);
    const QRectF whole = view->frameRect();
    const QPoint cursor = at(view, 0.25, 0.25);
    wheel(view, cursor, 2);  // 1.25^2
    QVERIFY(std::abs(view->zoom() - 1.5625) < 1e-9);
    QCOMPARE(window.grid()->view(1)->zoom(), view->zoom());
    QVERIFY(std::abs(view->frameRect().width() - whole.width() * 1.5625) < 1e-6);
    // The frame point under the cursor stayed under it.
    const QRectF zoomed = view->frameRect();
    QVERIFY(std::abs(zoomed.x() + 0.25 * zoomed.width() - cursor.x()) < 1.0);

    // A plain drag pans (left by 40 px: the picture moves left, the centre right).
    const QPointF before = view->zoomCentre();
    drag(view, Qt::NoModifier, QPoint(200, 100), QPoint(160, 100));
    QVERIFY(view->zoomCentre().x() > before.x());
    QCOMPARE(window.grid()->view(1)->zoomCentre(), view->zoomCentre());

    // Boxes drawn on the zoomed picture are in frame coordinates.
    seekTo(player, 1.0);
    QTest::keyClick(&window, Qt::Key_I);
    QTest::keyClick(&window, Qt::Key_O);
    drag(view, Qt::ShiftModifier, at(view, 0.4, 0.4), at(view, 0.5, 0.5));
    const NormalizedBox box = window.annotations()->document().items()[0].keyframes()[0].box;
    QVERIFY2(std::abs(box.x0 - 0.4) < 0.005 && std::abs(box.y1 - 0.5) < 0.005,
             qPrintable(QString("%1 %2").arg(box.x0).arg(box.y1)));
    // Zoomed all the way out, the whole frame again; mpv's Alt+= / Alt+Backspace too.
    wheel(view, cursor, -10);
    QCOMPARE(view->zoom(), 1.0);
    QCOMPARE(view->frameRect(), whole);
    QTest::keyClick(&window, Qt::Key_Equal, Qt::AltModifier);
    QCOMPARE(window.grid()->view(1)->zoom(), 1.25);
    QTest::keyClick(&window, Qt::Key_Backspace, Qt::AltModifier);
    QCOMPARE(window.grid()->view(1)->zoom(), 1.0);
  }

  // F1's key list: no two texts overlap and all lie inside the window, at the default size and
  // at a small one (issue 19 item 6).
  void helpTextNeverOverlaps() {
    MainWindow window;
    heardmap::test::showActive(window);
    for (const QSize size : {QSize(1280, 800), QSize(800, 500), QSize(560, 380)}) {
      window.resize(size);
      QTest::keyClick(&window, Qt::Key_F1);
      QTRY_VERIFY(window.helpOverlay()->isVisible());
      const HelpOverlay::Layout layout = window.helpOverlay()->layout();
      std::vector<QRect> texts = layout.keys;
      texts.insert(texts.end(), layout.descriptions.begin(), layout.descriptions.end());
      texts.push_back(layout.title);
      QVERIFY(layout.keys.size() >= 20);
      const QRect inside = window.helpOverlay()->rect();
      for (size_t i = 0; i < texts.size(); ++i) {
        QVERIFY2(inside.contains(texts[i]),
                 qPrintable(QString("text %1 leaves the window").arg(i)));
        for (size_t j = i + 1; j < texts.size(); ++j) {
          QVERIFY2(!texts[i].intersects(texts[j]),
                   qPrintable(QString("texts %1 and %2 overlap at %3x%4")
                                  .arg(i)
                                  .arg(j)
                                  .arg(size.width())
                                  .arg(size.height())));
        }
      }
      const QString shots = qEnvironmentVariable("HEARDMAP_SCREENSHOT_DIR");
      if (!shots.isEmpty() && size.width() == 800) {
        QTest::qWait(300);
        window.helpOverlay()->grab().save(shots + "/help-800x500.png");
      }
      QTest::keyClick(window.helpOverlay(), Qt::Key_Escape);
      QTRY_VERIFY(!window.helpOverlay()->isVisible());
    }
  }
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestAnnotate>(argc, argv);
}
#include "tst_Annotate.moc"
