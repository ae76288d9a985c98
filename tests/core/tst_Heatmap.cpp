#include <QtTest>
#include <array>
#include <cmath>

#include "core/BilinearResampler.h"
#include "core/Colormap.h"
#include "core/HeatmapCompositor.h"
#include "core/HeatmapProcessor.h"

using namespace heardmap;

namespace {

Heatmap makeHeatmap(std::vector<float> scores, int width, double time) {
  Heatmap h;
  h.width = width;
  h.height = static_cast<int>(scores.size()) / width;
  h.scores = std::move(scores);
  h.timeSeconds = time;
  h.updateRange();
  return h;
}

RgbImage grayFrame(int width, int height, uint8_t value) {
  RgbImage f;
  f.width = width;
  f.height = height;
  f.pixels.assign(static_cast<size_t>(width * height * 3), value);
  return f;
}

}  // namespace

class TestHeatmap : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The compositor resamples the map with BilinearResampler's weight matrices (Eigen); sample()
  // is the per-pixel reference the shader test also uses: both agree everywhere.
  void pixelCentreResamplingIsTheShadersSample() {
    for (const auto& [w, h, outW, outH] :
         std::vector<std::array<int, 4>>{{13, 9, 101, 67}, {1, 1, 4, 3}, {2, 7, 3, 50}}) {
      DisplayHeatmap map;
      map.width = w;
      map.height = h;
      for (int i = 0; i < w * h; ++i) {
        map.scores.push_back(static_cast<float>(std::sin(i * 1.7) * 3.0));
      }
      const std::vector<float> out =
          BilinearResampler(w, h, outW, outH, SampleGrid::PixelCentres).resample(map.scores);
      QCOMPARE(out.size(), size_t(outW * outH));
      for (int y = 0; y < outH; ++y) {
        for (int x = 0; x < outW; ++x) {
          const float reference =
              HeatmapCompositor::sample(map, (x + 0.5f) / outW, (y + 0.5f) / outH);
          QVERIFY2(std::abs(out[static_cast<size_t>(y * outW + x)] - reference) < 1e-5f,
                   qPrintable(QStringLiteral("%1 x %2 at (%3, %4)").arg(w).arg(h).arg(x).arg(y)));
        }
      }
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             BilinearResampler(2, 2, 3, 3, SampleGrid::PixelCentres).resample({1}));
  }

  void jetEndpoints() {
    const std::vector<float> jet = colormapTable(ColormapId::Jet);
    const auto low = sampleColormap(jet, 0.0f);
    const auto mid = sampleColormap(jet, 0.5f);
    const auto high = sampleColormap(jet, 1.0f);
    QCOMPARE(low[0], 0.0f);
    QCOMPARE(low[2], 0.5f);  // dark blue
    QCOMPARE(high[0], 0.5f);
    QCOMPARE(high[2], 0.0f);  // dark red
    QVERIFY(mid[1] > 0.99f);  // green in the middle
    const auto gray = sampleColormap(colormapTable(ColormapId::Gray), 0.25f);
    QVERIFY(std::fabs(gray[0] - 0.25f) < 1e-6f);
  }

  void perFrameMinMaxStretchesEveryFrame() {
    HeatmapProcessor p;
    OverlaySettings s;
    s.normalization = NormalizationMode::PerFrameMinMax;
    p.setSettings(s);
    const DisplayHeatmap d = p.process(makeHeatmap({0.1f, 0.2f, 0.3f, 0.4f}, 2, 0.0));
    QCOMPARE(d.low, 0.1f);
    QCOMPARE(d.high, 0.4f);
    QCOMPARE(d.normalized(0.25f), 0.5f);
    QVERIFY(!d.hideBelowLow);
  }

  // threshold 0.6 in (cos+1)/2 units is cos 0.2; a map peaking at cos 0.1 shows nothing.
  void absoluteThresholdReportsNothingAbove() {
    HeatmapProcessor p;
    OverlaySettings s;
    s.normalization = NormalizationMode::AbsoluteThreshold;
    s.threshold = 0.6f;
    p.setSettings(s);
    DisplayHeatmap d = p.process(makeHeatmap({-0.2f, 0.0f, 0.05f, 0.1f}, 2, 0.0));
    QVERIFY(std::fabs(d.low - 0.2f) < 1e-6f);
    QCOMPARE(d.high, 1.0f);
    QVERIFY(d.hideBelowLow);
    QVERIFY(!d.anythingAboveLow);
    d = p.process(makeHeatmap({-0.2f, 0.0f, 0.05f, 0.6f}, 2, 5.0));  // a seek: no smoothing
    QVERIFY(d.anythingAboveLow);
    QVERIFY(std::fabs(d.normalized(0.6f) - 0.5f) < 1e-6f);
  }

  // EMA: after dt = tau the state has moved 1 - 1/e of the way.
  void persistenceIsAnEmaOverMediaTime() {
    HeatmapProcessor p;
    OverlaySettings s;
    s.persistenceMs = 100.0;
    p.setSettings(s);
    p.process(makeHeatmap({0.0f, 0.0f}, 2, 1.0));
    const DisplayHeatmap d = p.process(makeHeatmap({1.0f, 0.5f}, 2, 1.1));
    const float a = static_cast<float>(1.0 - std::exp(-1.0));
    QVERIFY(std::fabs(d.scores[0] - a) < 1e-5f);
    QVERIFY(std::fabs(d.scores[1] - 0.5f * a) < 1e-5f);
    QCOMPARE(d.rawMax, 1.0f);  // raw range is of the input, not the smoothed map
    // A jump back in time (seek) restarts from the new map.
    const DisplayHeatmap restarted = p.process(makeHeatmap({0.3f, 0.3f}, 2, 0.2));
    QCOMPARE(restarted.scores[0], 0.3f);
  }

  void runningRangeGrowsAtOnceAndShrinksSlowly() {
    HeatmapProcessor p;
    OverlaySettings s;
    s.normalization = NormalizationMode::RunningRange;
    p.setSettings(s);
    p.process(makeHeatmap({-0.5f, 0.5f}, 2, 0.0));
    DisplayHeatmap d = p.process(makeHeatmap({-0.1f, 0.1f}, 2, 0.5));
    QVERIFY(d.high < 0.5f && d.high > 0.4f);  // decays with a 5 s time constant
    QVERIFY(d.low > -0.5f && d.low < -0.4f);
    d = p.process(makeHeatmap({-0.1f, 0.9f}, 2, 1.0));
    QCOMPARE(d.high, 0.9f);
  }

  void samplingAlignsCorners() {
    DisplayHeatmap h;
    h.width = 2;
    h.height = 2;
    h.scores = {0.0f, 1.0f, 2.0f, 3.0f};
    QCOMPARE(HeatmapCompositor::sample(h, 0.0f, 0.0f), 0.0f);
    QCOMPARE(HeatmapCompositor::sample(h, 1.0f, 0.0f), 1.0f);
    QCOMPARE(HeatmapCompositor::sample(h, 0.0f, 1.0f), 2.0f);
    QCOMPARE(HeatmapCompositor::sample(h, 0.5f, 0.5f), 1.5f);
  }

  void compositorBlendsWithOpacity() {
    OverlaySettings s;
    s.colormap = ColormapId::Gray;
    s.opacity = 0.5f;
    HeatmapCompositor c;
    c.setSettings(s);
    DisplayHeatmap h;
    h.width = 1 + 1;
    h.height = 2;
    h.scores = {1.0f, 1.0f, 1.0f, 1.0f};
    h.low = 0.0f;
    h.high = 1.0f;
    const RgbImage out = c.compose(grayFrame(4, 3, 0), h);
    QCOMPARE(int(out.pixel(2, 1)[0]), 128);  // half of white over black
    s.opacity = 0.0f;
    c.setSettings(s);
    QCOMPARE(int(c.compose(grayFrame(4, 3, 77), h).pixel(3, 2)[1]), 77);
    // Below an absolute threshold nothing is drawn.
    s.opacity = 1.0f;
    c.setSettings(s);
    h.hideBelowLow = true;
    h.low = 2.0f;
    QCOMPARE(int(c.compose(grayFrame(4, 3, 10), h).pixel(0, 0)[0]), 10);
  }
  // Snapshots and exports record the overlay; captions summarise it.
  void overlaySettingsAreRecordedByName() {
    OverlaySettings settings;
    QCOMPARE(overlaySummary(settings), std::string("jet 50 %, min-max"));
    settings.colormap = ColormapId::Viridis;
    settings.opacity = 0.4f;
    settings.normalization = NormalizationMode::AbsoluteThreshold;
    settings.persistenceMs = 200.0;
    QCOMPARE(overlaySummary(settings), std::string("viridis 40 %, absolute >= 0.55, EMA 200 ms"));
    const Json j = overlayJson(settings);
    QCOMPARE(j.at("colormap").asString(), std::string("viridis"));
    QCOMPARE(j.at("normalization").asString(), normalizationName(settings.normalization));
    QCOMPARE(j.at("persistence_ms").asNumber(), 200.0);
  }
};

QTEST_APPLESS_MAIN(TestHeatmap)
#include "tst_Heatmap.moc"
