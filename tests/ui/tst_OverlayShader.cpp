// Renders the overlay shader in a real GL context (Xvfb + Mesa llvmpipe) and compares the
// read-back pixels with the CPU compositor, which is the shader's specification.
#include <QtTest>

#include "tests/GlTestMain.h"

#include "core/Colormap.h"
#include "core/HeatmapCompositor.h"
#include "ui/VideoView.h"
#include "ui/ViewLabels.h"

using namespace heardmap;

namespace {

RgbImage patternFrame(int width, int height) {
  RgbImage f;
  f.width = width;
  f.height = height;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      f.pixels.insert(f.pixels.end(),
                      {uint8_t(x * 4), uint8_t(y * 5), uint8_t((x * 7 + y * 3) % 256)});
    }
  }
  return f;
}

DisplayHeatmap gradient(int size) {
  DisplayHeatmap h;
  h.width = size;
  h.height = size;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      h.scores.push_back(-0.3f + 0.1f * x + 0.05f * y * y);
    }
  }
  h.low = *std::min_element(h.scores.begin(), h.scores.end());
  h.high = *std::max_element(h.scores.begin(), h.scores.end());
  h.rawMin = h.low;
  h.rawMax = h.high;
  return h;
}

}  // namespace

class TestOverlayShader : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    if (QGuiApplication::platformName() != "xcb") {
      QSKIP(
          "needs a real GL context: run under xvfb-run (the offscreen platform crashes "
          "QOpenGLWidget)");
    }
  }

  void matchesTheCpuCompositor_data() {
    QTest::addColumn<int>("colormap");
    QTest::addColumn<float>("opacity");
    QTest::addColumn<bool>("absolute");
    QTest::newRow("jet 0.6") << int(ColormapId::Jet) << 0.6f << false;
    QTest::newRow("viridis 1.0") << int(ColormapId::Viridis) << 1.0f << false;
    QTest::newRow("inferno threshold") << int(ColormapId::Inferno) << 0.8f << true;
  }

  void matchesTheCpuCompositor() {
    QFETCH(int, colormap);
    QFETCH(float, opacity);
    QFETCH(bool, absolute);
    const int width = 64;
    const int height = 48;
    const RgbImage frame = patternFrame(width, height);
    DisplayHeatmap heatmap = gradient(7);
    if (absolute) {
      heatmap.hideBelowLow = true;
      heatmap.low = 0.2f;  // about half the map is below
      heatmap.high = 1.0f;
    }
    OverlaySettings settings;
    settings.colormap = static_cast<ColormapId>(colormap);
    settings.opacity = opacity;

    VideoView view;
    view.setColourBar(false);  // every pixel is compared with the CPU compositor
    view.setFixedSize(width, height);
    view.setFrame(frame);
    view.setHeatmap(heatmap);
    view.setOverlaySettings(settings);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY2(view.shaderLog().isEmpty(), qPrintable(view.shaderLog()));
    QVERIFY(view.glVersion().startsWith("4.") || view.glVersion().startsWith("3.3"));
    const QImage shot = view.grabFramebuffer().convertToFormat(QImage::Format_RGB888);
    QCOMPARE(shot.width(), width);
    QCOMPARE(shot.height(), height);

    HeatmapCompositor cpu;
    cpu.setSettings(settings);
    const RgbImage expected = cpu.compose(frame, heatmap);
    int worst = 0;
    int untouched = 0;
    for (int y = 0; y < height; ++y) {
      const uchar* line = shot.constScanLine(y);
      for (int x = 0; x < width; ++x) {
        const uint8_t* want = expected.pixel(x, y);
        const uint8_t* base = frame.pixel(x, y);
        bool same = true;
        for (int c = 0; c < 3; ++c) {
          worst = std::max(worst, std::abs(int(line[x * 3 + c]) - int(want[c])));
          same = same && want[c] == base[c];
        }
        untouched += same ? 1 : 0;
      }
    }
    // GPU interpolation runs in lower precision than the CPU's float maths: a few levels of slack.
    QVERIFY2(worst <= 4, qPrintable(QString("max channel difference %1").arg(worst)));
    if (absolute) {
      QVERIFY2(untouched > width * height / 5, qPrintable(QString::number(untouched)));
    }
  }

  // Captions and boxes are painted with QPainter over the GL picture; the overlay must survive
  // it, also for frames and maps uploaded after QPainter has run (it changes GL state).
  void decorationsKeepTheOverlay() {
    const int width = 240;
    const int height = 180;
    VideoView view;
    view.setColourBar(false);  // its rows are compared below the caption and box
    view.setFixedSize(width, height);
    view.setFrame(patternFrame(width, height));
    view.setHeatmap(gradient(5));
    view.setCaption({"1  model", "hears: silence"}, true);
    view.setBoxes({{QRectF(0.1, 0.1, 0.3, 0.3), "#1 box", false}});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.grabFramebuffer();  // QPainter has drawn once
    RgbImage frame = patternFrame(width, height);
    for (uint8_t& v : frame.pixels) {
      v = static_cast<uint8_t>(255 - v);
    }
    DisplayHeatmap heatmap = gradient(5);
    for (float& v : heatmap.scores) {
      v = -v;
    }
    std::swap(heatmap.low, heatmap.high);
    heatmap.low = -heatmap.low;
    heatmap.high = -heatmap.high;
    view.setFrame(frame);
    view.setHeatmap(heatmap);
    const QImage shot = view.grabFramebuffer().convertToFormat(QImage::Format_RGB888);
    HeatmapCompositor cpu;
    cpu.setSettings(OverlaySettings{});
    const RgbImage expected = cpu.compose(frame, heatmap);
    int worst = 0;
    for (int y = height * 2 / 3; y < height; ++y) {  // below the caption and the box
      const uchar* line = shot.constScanLine(y);
      for (int x = 0; x < width; ++x) {
        for (int c = 0; c < 3; ++c) {
          worst = std::max(worst, std::abs(int(line[x * 3 + c]) - int(expected.pixel(x, y)[c])));
        }
      }
    }
    QVERIFY2(worst <= 4, qPrintable(QString("max channel difference %1").arg(worst)));
  }

  // Issue 19 item 2: a colour bar at the picture's right edge with the colormap's colours, top
  // the highest, labelled with the scores its ends mean (the threshold when absolute).
  void colourBarSaysWhatTheColoursMean() {
    const int width = 400;
    const int height = 300;
    VideoView view;
    view.setFixedSize(width, height);
    view.setFrame(patternFrame(width, height));
    DisplayHeatmap heatmap = gradient(5);
    heatmap.low = 0.1f;
    heatmap.high = 0.6f;
    view.setHeatmap(heatmap);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage shot = view.grabFramebuffer().convertToFormat(QImage::Format_RGB888);
    const std::vector<float> jet = colormapTable(ColormapId::Jet);
    // The bar: 12 px wide ending 6 px from the right edge, 40 % of the height, centred.
    const auto near = [&](int x, int y, float t) {
      const std::array<float, 3> want = sampleColormap(jet, t);
      const QColor got = shot.pixelColor(x, y);
      return std::abs(got.redF() - want[0]) < 0.05 && std::abs(got.greenF() - want[1]) < 0.05 &&
             std::abs(got.blueF() - want[2]) < 0.05;
    };
    // Row r of the bar (top 90, 120 rows) shows the colour at 1 - r / 119.
    const auto at = [](int y) { return 1.0f - static_cast<float>(y - 90) / 119.0f; };
    QVERIFY(near(width - 12, 92, at(92)));    // top: the last colours
    QVERIFY(near(width - 12, 150, at(150)));  // the middle
    QVERIFY(near(width - 12, 207, at(207)));  // bottom: the first
    QCOMPARE(colourBarLabels(heatmap), (QStringList{"0.600 cos (0.800)", "0.100 cos (0.550)"}));
    heatmap.hideBelowLow = true;
    QCOMPARE(colourBarLabels(heatmap).last(), QString("thr 0.550 (cos 0.100)"));
  }

  // Issue 19 item 2: an optional crosshair on the map's highest cell.
  void peakCrosshairMarksTheHighestCell() {
    const int size = 280;  // a 7 x 7 map: 40 px cells
    VideoView view;
    view.setColourBar(false);
    view.setFixedSize(size, size);
    view.setFrame(patternFrame(size, size));
    DisplayHeatmap heatmap = gradient(7);
    std::fill(heatmap.scores.begin(), heatmap.scores.end(), 0.0f);
    heatmap.scores[2 * 7 + 5] = 0.9f;  // row 2, column 5: centre (220, 100)
    view.setHeatmap(heatmap);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage plain = view.grabFramebuffer();
    OverlaySettings settings;
    settings.peakCrosshair = true;
    view.setOverlaySettings(settings);
    const QImage marked = view.grabFramebuffer();
    QCOMPARE(marked.pixelColor(220 + 8, 100), QColor(255, 255, 255));  // its arms
    QCOMPARE(marked.pixelColor(220, 100 - 8), QColor(255, 255, 255));
    QVERIFY(plain.pixelColor(220 + 8, 100) != QColor(255, 255, 255));
    QCOMPARE(marked.pixelColor(40, 250), plain.pixelColor(40, 250));  // elsewhere unchanged
  }
};

int main(int argc, char** argv) {
  return heardmap::test::runGlTest<TestOverlayShader>(argc, argv);
}
#include "tst_OverlayShader.moc"
