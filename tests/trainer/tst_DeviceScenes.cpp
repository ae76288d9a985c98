// The trainer's device-side scenes (DeviceSceneBatcher) against the CPU synthesizer and the CPU
// spectrogram, on the CPU device (the same torch code runs on CUDA).
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "core/Spectrogram.h"
#include "core/data/SceneSynthesizer.h"
#include "trainer/DeviceSceneBatcher.h"

using namespace heardmap;

namespace {

// A pack whose pictures are textured (every pixel differs from its neighbours), so that any
// sampling offset, flip or scale error shows: objects with soft elliptical alpha edges and
// different aspect ratios, sounds of different lengths.
AssetPack texturedPack() {
  AssetPack pack;
  const auto texture = [](int x, int y, int c, int salt) {
    return static_cast<uint8_t>((x * (7 + c) + y * (13 + 2 * c) + (x * y) % 29 + salt * 37) % 256);
  };
  for (int i = 0; i < 10; ++i) {
    PackObject o;
    o.name = "object" + std::to_string(i);
    o.image.width = 24 + 9 * (i % 4);
    o.image.height = 50 - 7 * (i % 3);
    for (int y = 0; y < o.image.height; ++y) {
      for (int x = 0; x < o.image.width; ++x) {
        const double dx = (x + 0.5) / o.image.width * 2 - 1;
        const double dy = (y + 0.5) / o.image.height * 2 - 1;
        const double r = std::sqrt(dx * dx + dy * dy);
        const auto alpha = static_cast<uint8_t>(std::clamp((1.0 - r) * 4.0, 0.0, 1.0) * 255);
        o.image.pixels.insert(o.image.pixels.end(), {texture(x, y, 0, i), texture(x, y, 1, i),
                                                     texture(x, y, 2, i), alpha});
      }
    }
    if (i < 6) {  // sounding: a chirp of its own length
      o.soundSource = "chirp";
      const int length = 3000 + 1700 * i;
      for (int s = 0; s < length; ++s) {
        o.sound.push_back(0.7f * static_cast<float>(
                                     std::sin(2 * M_PI * (150.0 + 40 * i + 0.01 * s) * s / 16000)));
      }
    }
    o.split = (i == 4 || i == 8) ? Split::Test : Split::Train;
    pack.objects.push_back(o);
  }
  for (int b = 0; b < 3; ++b) {
    PackBackground bg;
    bg.split = b == 2 ? Split::Test : Split::Train;
    bg.image.width = 96 + 16 * b;
    bg.image.height = 72;
    for (int y = 0; y < bg.image.height; ++y) {
      for (int x = 0; x < bg.image.width; ++x) {
        for (int c = 0; c < 3; ++c) {
          bg.image.pixels.push_back(texture(x, y, c, 100 + b));
        }
      }
    }
    pack.backgrounds.push_back(bg);
  }
  return pack;
}

double rms(const std::vector<float>& v) {
  double sum = 0.0;
  for (float x : v) {
    sum += static_cast<double>(x) * x;
  }
  return std::sqrt(sum / static_cast<double>(v.size()));
}

std::vector<ScenePlan> plansOf(const SceneSynthesizer& synthesizer, SceneCondition condition,
                               int count, uint64_t firstSeed) {
  std::vector<ScenePlan> plans;
  for (int i = 0; i < count; ++i) {
    plans.push_back(synthesizer.plan(firstSeed + static_cast<uint64_t>(i), condition));
  }
  return plans;
}

// The textured pack's train split rendered at imageSize, on the CPU and on the (CPU) device.
struct Scenes {
  explicit Scenes(int imageSize)
      : pack(texturedPack()),
        synthesizer(pack, optionsFor(imageSize)),
        batcher(synthesizer, PreprocessingContract::ezvsl(), "cpu") {}
  static SynthesisOptions optionsFor(int imageSize) {
    SynthesisOptions options;
    options.imageSize = imageSize;
    options.split = Split::Train;
    return options;
  }
  AssetPack pack;
  SceneSynthesizer synthesizer;
  DeviceSceneBatcher batcher;
};

}  // namespace

class TestDeviceScenes : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Same plans, same pictures: the device's bilinear crops, flips, scaled and flipped objects
  // and 8-bit blending agree with the CPU renderer up to rounding.
  void picturesMatchTheCpuRenderer() {
    const Scenes scenes(80);
    const SceneSynthesizer& synthesizer = scenes.synthesizer;
    const DeviceSceneBatcher& batcher = scenes.batcher;
    for (SceneCondition condition : allConditions()) {
      const std::vector<ScenePlan> plans = plansOf(synthesizer, condition, 12, 1000);
      const std::vector<RgbImage> device = batcher.renderImages(plans);
      QCOMPARE(device.size(), plans.size());
      size_t differing = 0;
      size_t total = 0;
      int worst = 0;
      for (size_t b = 0; b < plans.size(); ++b) {
        const Scene cpu = synthesizer.render(plans[b]);
        QCOMPARE(device[b].width, 80);
        QCOMPARE(device[b].pixels.size(), cpu.image.pixels.size());
        for (size_t i = 0; i < cpu.image.pixels.size(); ++i) {
          const int d = std::abs(int(device[b].pixels[i]) - int(cpu.image.pixels[i]));
          worst = std::max(worst, d);
          differing += d > 0;
          ++total;
        }
      }
      const double share = static_cast<double>(differing) / static_cast<double>(total);
      qInfo("%s: worst %d, %.3f %% of values differ", conditionName(condition).c_str(), worst,
            100 * share);
      QVERIFY2(worst <= 2 && share < 0.01,
               qPrintable(QString("%1: worst %2, %3 % of values differ")
                              .arg(QString::fromStdString(conditionName(condition)))
                              .arg(worst)
                              .arg(100 * share)));
    }
  }

  // A wrong flip or offset would show: the check above is not blind to the picture's content.
  void picturesDifferWhenThePlanDiffers() {
    const Scenes scenes(64);
    const SceneSynthesizer& synthesizer = scenes.synthesizer;
    const DeviceSceneBatcher& batcher = scenes.batcher;
    ScenePlan plan = synthesizer.plan(7, SceneCondition::Positive);
    ScenePlan flipped = plan;
    flipped.objects.back().flip = !flipped.objects.back().flip;
    flipped.flipBackground = !flipped.flipBackground;
    const std::vector<RgbImage> device = batcher.renderImages({plan, flipped});
    size_t moved = 0;
    for (size_t i = 0; i < device[0].pixels.size(); ++i) {
      moved += std::abs(int(device[0].pixels[i]) - int(device[1].pixels[i])) > 8;
    }
    QVERIFY2(moved > device[0].pixels.size() / 4, qPrintable(QString::number(moved)));
  }

  // The sounds (repeats, gains, two sources at once) are the CPU renderer's to float precision;
  // the noise is the plan's sigma, seeded per batch.
  void audioMatchesTheCpuRendererAndNoiseIsSeeded() {
    const Scenes scenes(32);
    const SceneSynthesizer& synthesizer = scenes.synthesizer;
    const DeviceSceneBatcher& batcher = scenes.batcher;
    for (SceneCondition condition : allConditions()) {
      std::vector<ScenePlan> plans = plansOf(synthesizer, condition, 6, 500);
      std::vector<ScenePlan> quiet = plans;
      for (ScenePlan& p : quiet) {
        p.noiseSigma = 0.0;
      }
      const std::vector<std::vector<float>> clean = batcher.renderAudio(quiet, 1);
      const std::vector<std::vector<float>> noisy = batcher.renderAudio(plans, 1);
      const std::vector<std::vector<float>> again = batcher.renderAudio(plans, 1);
      const std::vector<std::vector<float>> other = batcher.renderAudio(plans, 2);
      for (size_t b = 0; b < plans.size(); ++b) {
        const std::vector<float> cpu = synthesizer.render(quiet[b]).audio;
        QCOMPARE(clean[b].size(), size_t(48000));
        double worst = 0.0;
        for (size_t i = 0; i < cpu.size(); ++i) {
          worst = std::max(worst, static_cast<double>(std::fabs(cpu[i] - clean[b][i])));
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QCOMPARE(noisy[b], again[b]);
        if (plans[b].noiseSigma > 0.0) {
          QVERIFY(noisy[b] != other[b]);
          std::vector<float> residual(cpu.size());
          for (size_t i = 0; i < cpu.size(); ++i) {
            residual[i] = noisy[b][i] - clean[b][i];
          }
          const double ratio = rms(residual) / plans[b].noiseSigma;
          QVERIFY2(ratio > 0.95 && ratio < 1.03, qPrintable(QString::number(ratio)));
        } else {
          QCOMPARE(rms(noisy[b]), rms(clean[b]));
        }
      }
      if (condition == SceneCondition::Silence) {
        QCOMPARE(rms(noisy[0]), 0.0);
      }
      if (condition == SceneCondition::Positive) {
        QVERIFY(rms(clean[0]) > 0.1);  // the sound is there
      }
    }
  }

  // scipy's spectrogram (Tukey window, detrend, density, one-sided) on the device equals
  // core/Spectrogram (double precision) on scenes, silence and a full-scale tone.
  void spectrogramsMatchTheCpuFrontEnd() {
    const Scenes scenes(32);
    const SceneSynthesizer& synthesizer = scenes.synthesizer;
    const DeviceSceneBatcher& batcher = scenes.batcher;
    const PreprocessingContract contract = PreprocessingContract::ezvsl();
    std::vector<std::vector<float>> windows = {
        synthesizer.make(3, SceneCondition::Positive).audio,
        synthesizer.make(4, SceneCondition::MultiSource).audio,
        synthesizer.make(5, SceneCondition::Noise).audio, std::vector<float>(48000, 0.0f),
        std::vector<float>(48000, 0.0f)};
    for (int i = 0; i < 48000; ++i) {
      windows.back()[static_cast<size_t>(i)] =
          0.25f + 0.75f * static_cast<float>(std::sin(2 * M_PI * 1000.0 * i / 16000));
    }
    const std::vector<std::vector<float>> device = batcher.spectrograms(windows);
    const Spectrogram cpu(contract);
    for (size_t w = 0; w < windows.size(); ++w) {
      const std::vector<float> expected = cpu.compute(windows[w]);
      QCOMPARE(device[w].size(), size_t(257 * 200));
      QCOMPARE(device[w].size(), expected.size());
      double worst = 0.0;
      for (size_t i = 0; i < expected.size(); ++i) {
        worst = std::max(worst, static_cast<double>(std::fabs(expected[i] - device[w][i])));
      }
      QVERIFY2(worst < 2e-3, qPrintable(QString("window %1: %2").arg(w).arg(worst)));
    }
    QCOMPARE(device[3].front(), static_cast<float>(std::log(1e-7) / 12));
  }

  void rejectsMixedSizesAndUnknownDevices() {
    const Scenes scenes(32);
    const SceneSynthesizer& a = scenes.synthesizer;
    const DeviceSceneBatcher& batcher = scenes.batcher;
    const SceneSynthesizer b(scenes.pack, Scenes::optionsFor(48));
    QVERIFY(batcher.assetBytes() > 0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             batcher.renderImages({a.plan(1, SceneCondition::Positive),
                                                   b.plan(1, SceneCondition::Positive)}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             DeviceSceneBatcher(a, PreprocessingContract::ezvsl(), "tpu"));
  }
};

QTEST_GUILESS_MAIN(TestDeviceScenes)
#include "tst_DeviceScenes.moc"
