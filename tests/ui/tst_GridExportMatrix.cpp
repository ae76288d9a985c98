// The grid video export (the app's File > Export) on every entry of the media matrix: an mp4 of
// the grid for pictures, a MediaError naming the file for the rest, never a signal; a truncated
// file is exported with a partial-decode warning.
#include <QtTest>

#include "app/media/MediaError.h"
#include "app/media/VideoDecoder.h"
#include "tests/TestFixtures.h"
#include "ui/GridVideoExport.h"

using namespace heardmap;
using heardmap::test::fixture;

class TestGridExportMatrix : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void exportsEveryEntry_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expect");
    QFile list(fixture("matrix/matrix.tsv"));
    QVERIFY(list.open(QIODevice::ReadOnly));
    for (const QByteArray& line : list.readAll().split('\n')) {
      const QList<QByteArray> cells = line.split('\t');
      if (cells.size() == 4) {
        QTest::newRow(cells[0].constData())
            << QString::fromUtf8(cells[0]) << QString::fromUtf8(cells[1]);
      }
    }
  }

  void exportsEveryEntry() {
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QTemporaryDir dir;
    GridExportOptions options;
    options.clipPath = fixture("matrix/" + file).toStdString();
    options.outputPath = dir.filePath("grid.mp4").toStdString();
    options.startSeconds = 0.0;
    // The mkv cut in half is exported whole (the range ends at its stated duration).
    options.endSeconds = file == "truncated.mkv" ? 100.0 : 0.6;
    options.tileWidth = 96;
    options.placement = WindowPlacement::Centred;
    options.views = {GridExportView{"a", "", AudioCondition::Real, {}},
                     GridExportView{"b", "", AudioCondition::Silence, {}}};
    try {
      const GridExportSummary summary = exportGridVideo(options, nullptr, nullptr);
      QVERIFY2(expect != "audio-only", "exported a file without picture");
      QVERIFY(summary.frames >= 1);
      VideoDecoder written(options.outputPath);
      QCOMPARE(written.info().width, summary.width);
      QVERIFY(written.nextFrame().has_value());
      if (file == "truncated.mkv") {
        QVERIFY2(QString::fromStdString(summary.warning).contains("truncated or damaged"),
                 summary.warning.c_str());
      }
    } catch (const MediaError& e) {
      QVERIFY2(expect != "video", e.what());
      QVERIFY2(QString(e.what()).size() > 10, e.what());
      QVERIFY(!QFile::exists(QString::fromStdString(options.outputPath)));
    }
  }

  // Issue 19 item 4: the exported mp4 draws the failures' boxes (green, as the player) while
  // their range covers the frame, on every view's tile.
  void exportDrawsFailureBoxes() {
    QTemporaryDir dir;
    GridExportOptions options;
    options.clipPath = fixture("player.mp4").toStdString();
    options.startSeconds = 0.0;
    options.endSeconds = 0.4;
    options.tileWidth = 320;  // 320 x 180 tiles
    options.placement = WindowPlacement::Centred;
    options.views = {GridExportView{"a", "", AudioCondition::Real, {}}};
    const auto greenAt = [&](const std::string& path, int x, int y) {
      VideoDecoder written(path);
      const std::optional<RgbImage> frame = written.nextFrame();
      const uint8_t* p = frame->pixel(x, y);
      return p[1] > 150 && p[0] < 90 && p[2] < 170;  // (0, 230, 120) after h.264
    };
    options.outputPath = dir.filePath("plain.mp4").toStdString();
    exportGridVideo(options, nullptr, nullptr);
    FailureAnnotation failure;
    failure.id = 7;
    failure.startSeconds = 0.0;
    failure.endSeconds = 1.0;
    failure.setKeyframe(0.0, {0.25, 0.25, 0.75, 0.75});
    options.failures = {failure};
    options.outputPath = dir.filePath("boxes.mp4").toStdString();
    exportGridVideo(options, nullptr, nullptr);
    // The box's left edge at x = 80, halfway down (y = 90).
    QVERIFY(greenAt(dir.filePath("boxes.mp4").toStdString(), 80, 90));
    QVERIFY(!greenAt(dir.filePath("plain.mp4").toStdString(), 80, 90));
  }
};

QTEST_MAIN(TestGridExportMatrix)
#include "tst_GridExportMatrix.moc"
