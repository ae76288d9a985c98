// The frame job every front end shares: which window each view hears (the real window cut once
// per rate, the probes, the off-screen clip, views without a model), that run() gives every view
// a processed map equal to the model's own, and that a view without its audio is named.
#include <QtTest>
#include <cmath>

#include "app/media/AudioAtRates.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "core/AudioWindow.h"
#include "core/ml/LocalizationModel.h"

using namespace heardmap;

namespace {

// Rate of the test clip's audio.
constexpr int kClipRateHz = 48000;

AudioAtRates toneClip(double seconds, double hz) {
  std::vector<float> samples(static_cast<size_t>(seconds * kClipRateHz));
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = 0.5f * static_cast<float>(std::sin(2.0 * M_PI * hz * i / kClipRateHz));
  }
  return AudioAtRates(std::move(samples), kClipRateHz);
}

RgbImage testFrame(double timeSeconds) {
  RgbImage frame;
  frame.width = 96;
  frame.height = 64;
  frame.timeSeconds = timeSeconds;
  frame.pixels.resize(static_cast<size_t>(frame.width) * frame.height * 3);
  for (size_t i = 0; i < frame.pixels.size(); ++i) {
    frame.pixels[i] = static_cast<uint8_t>((i * 7) % 251);
  }
  return frame;
}

}  // namespace

class TestFrameJob : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void eachViewHearsItsWindow() {
    std::shared_ptr<LocalizationModel> model = LocalizationModel::open("");
    AudioAtRates clip = toneClip(3.0, 440.0);
    AudioAtRates other = toneClip(3.0, 1000.0);
    ClipAudioSource clipSource(&clip);
    ClipAudioSource otherSource(&other);
    std::vector<ViewSpec> views(4);
    views[0].model = model;
    views[1].model = model;
    views[1].condition = AudioCondition::Silence;
    views[2].model = model;
    views[2].condition = AudioCondition::OffScreen;
    // views[3] has no model.
    const RgbImage frame = testFrame(1.5);
    const FrameRequest built = buildFrameRequest(frame, views, clipSource, &otherSource);
    QVERIFY(built.anyModel);
    QCOMPARE(built.request.audioWindows.size(), size_t(4));
    const PreprocessingContract contract = effectiveContract(views[0]);
    QCOMPARE(built.request.audioWindows[0], clip.window(contract, 1.5));
    QCOMPARE(built.request.audioWindows[1].size(), size_t(contract.windowSamples()));
    for (float v : built.request.audioWindows[1]) {
      QCOMPARE(v, 0.0f);
    }
    QCOMPARE(built.request.audioWindows[2], other.window(contract, 1.5));
    QVERIFY(built.request.audioWindows[3].empty());
    for (const std::string& error : built.errors) {
      QVERIFY2(error.empty(), error.c_str());
    }
    // Without an off-screen clip the off-screen view has no window and says why.
    const FrameRequest alone = buildFrameRequest(frame, views, clipSource, nullptr);
    QVERIFY(alone.request.audioWindows[2].empty());
    QVERIFY(QString::fromStdString(alone.errors[2]).contains("off-screen"));
  }

  void placementOverrideMovesTheWindow() {
    ViewSpec view;
    view.model = LocalizationModel::open("");
    const WindowPlacement own = effectiveContract(view).placement;
    view.placement =
        own == WindowPlacement::Causal ? WindowPlacement::Centred : WindowPlacement::Causal;
    QCOMPARE(effectiveContract(view).placement, view.placement);
  }

  void runGivesEveryViewTheModelsMap() {
    std::shared_ptr<LocalizationModel> model = LocalizationModel::open("");
    AudioAtRates clip = toneClip(3.0, 440.0);
    ClipAudioSource source(&clip);
    std::vector<ViewSpec> views(2);
    views[0].model = model;
    views[1].model = model;
    views[1].condition = AudioCondition::Silence;
    FrameJob job(views, source, nullptr);
    const RgbImage frame = testFrame(1.0);
    const std::vector<ViewMaps> maps = job.run(frame);
    QCOMPARE(maps.size(), size_t(2));
    const Heatmap direct = model->localize(frame, clip.window(model->contract(), 1.0));
    QCOMPARE(maps[0].raw.width, direct.width);
    for (size_t i = 0; i < direct.scores.size(); ++i) {
      QVERIFY(std::abs(maps[0].raw.scores[i] - direct.scores[i]) < 1e-5f);
    }
    QVERIFY(!maps[1].display.empty());
    QVERIFY(job.meanInferenceMs() > 0.0);
    const RgbImage composed = job.compose(0, frame, maps[0].display);
    QCOMPARE(composed.width, frame.width);
    QVERIFY(composed.pixels != frame.pixels);
  }

  void aViewWithoutItsAudioIsNamed() {
    AudioAtRates clip = toneClip(2.0, 440.0);
    ClipAudioSource source(&clip);
    std::vector<ViewSpec> views(2);
    views[0].model = LocalizationModel::open("");
    views[1].model = views[0].model;
    views[1].condition = AudioCondition::OffScreen;
    FrameJob job(views, source, nullptr);
    try {
      job.run(testFrame(0.5));
      QFAIL("no exception");
    } catch (const ViewFailed& e) {
      QCOMPARE(e.view, size_t(1));
      QVERIFY2(QString(e.what()).startsWith("view 2: off-screen"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestFrameJob)
#include "tst_FrameJob.moc"
