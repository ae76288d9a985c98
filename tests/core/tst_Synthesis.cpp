#include <QtTest>
#include <cmath>

#include "core/data/SceneSynthesizer.h"

using namespace heardmap;

namespace {

// An opaque disc of one colour on a transparent square canvas.
RgbaImage disc(int side, uint8_t r, uint8_t g, uint8_t b) {
  RgbaImage image;
  image.width = side;
  image.height = side;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const double d = std::hypot(x + 0.5 - side / 2.0, y + 0.5 - side / 2.0);
      image.pixels.insert(image.pixels.end(), {r, g, b, uint8_t(d < side * 0.4 ? 255 : 0)});
    }
  }
  return image;
}

std::vector<float> tone(double hz, double seconds) {
  std::vector<float> s(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < s.size(); ++i) {
    s[i] = 0.8f * static_cast<float>(std::sin(2 * M_PI * hz * i / 16000.0));
  }
  return s;
}

AssetPack tinyPack() {
  AssetPack pack;
  const double freqs[] = {300, 500, 800, 1300};
  for (int i = 0; i < 4; ++i) {
    PackObject o;
    o.name = "obj" + std::to_string(i);
    o.soundSource = "tone";
    o.sound = tone(freqs[i], 0.7);
    o.image = disc(60, uint8_t(60 * i), 255, uint8_t(255 - 60 * i));
    o.split = Split::Test;
    pack.objects.push_back(o);
  }
  for (int i = 0; i < 2; ++i) {
    PackObject o;
    o.name = "quiet" + std::to_string(i);
    o.image = disc(40, 10, 10, 10);
    o.split = Split::Test;
    pack.objects.push_back(o);
  }
  PackBackground bg;
  bg.split = Split::Test;
  bg.image.width = 320;
  bg.image.height = 240;
  for (int i = 0; i < 320 * 240; ++i) {
    bg.image.pixels.insert(bg.image.pixels.end(), {uint8_t(i % 200), 90, 90});
  }
  pack.backgrounds.push_back(bg);
  return pack;
}

double rms(const std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) {
    sum += v * v;
  }
  return std::sqrt(sum / std::max<size_t>(x.size(), 1));
}

PixelBox maskBox(const std::vector<uint8_t>& mask, int size) {
  PixelBox box{size, size, 0, 0};
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      if (mask[static_cast<size_t>(y * size + x)]) {
        box.x0 = std::min(box.x0, x);
        box.y0 = std::min(box.y0, y);
        box.x1 = std::max(box.x1, x + 1);
        box.y1 = std::max(box.y1, y + 1);
      }
    }
  }
  return box;
}

}  // namespace

class TestSynthesis : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void scenesAreDeterministicPerSeed() {
    const AssetPack pack = tinyPack();
    const SceneSynthesizer synth(pack, SynthesisOptions{});
    const Scene a = synth.make(42, SceneCondition::Positive);
    const Scene b = synth.make(42, SceneCondition::Positive);
    const Scene c = synth.make(43, SceneCondition::Positive);
    QCOMPARE(a.image.pixels, b.image.pixels);
    QCOMPARE(a.audio, b.audio);
    QVERIFY(a.image.pixels != c.image.pixels);
    QCOMPARE(a.image.width, 224);
    QCOMPARE(a.audio.size(), size_t(48000));
  }

  // The ground-truth box is the tight box of the pasted opaque alpha, and those pixels show the
  // object's colour (green channel 255 for the sounding discs).
  void boxesMatchThePastedAlpha() {
    const AssetPack pack = tinyPack();
    const SceneSynthesizer synth(pack, SynthesisOptions{});
    for (uint64_t seed = 0; seed < 30; ++seed) {
      const Scene scene = synth.make(seed, SceneCondition::Positive);
      const std::vector<PixelBox> boxes = scene.sourceBoxes();
      QCOMPARE(boxes.size(), size_t(1));
      const PixelBox fromMask = maskBox(scene.sourceMask, 224);
      QCOMPARE(boxes[0].x0, fromMask.x0);
      QCOMPARE(boxes[0].y0, fromMask.y0);
      QCOMPARE(boxes[0].x1, fromMask.x1);
      QCOMPARE(boxes[0].y1, fromMask.y1);
      QVERIFY(boxes[0].x1 - boxes[0].x0 > 224 * 0.3 * 0.75);  // disc is 80 % of the scaled side
      int greenInside = 0;
      int maskPixels = 0;
      for (int i = 0; i < 224 * 224; ++i) {
        if (scene.sourceMask[static_cast<size_t>(i)]) {
          ++maskPixels;
          greenInside += scene.image.pixels[static_cast<size_t>(i * 3 + 1)] >= 250 ? 1 : 0;
        }
      }
      QVERIFY(greenInside > maskPixels * 0.9);
    }
  }

  void conditionsHaveTheirAudio() {
    const AssetPack pack = tinyPack();
    const SceneSynthesizer synth(pack, SynthesisOptions{});
    const Scene silence = synth.make(1, SceneCondition::Silence);
    QCOMPARE(rms(silence.audio), 0.0);
    QVERIFY(silence.sourceBoxes().empty());
    const Scene noise = synth.make(1, SceneCondition::Noise);
    QVERIFY(rms(noise.audio) > 0.08);
    QVERIFY(noise.sourceBoxes().empty());
    const Scene positive = synth.make(1, SceneCondition::Positive);
    QVERIFY(rms(positive.audio) > 0.05);
    QCOMPARE(positive.audioSource,
             positive.sourceBoxes().size() == 1 ? positive.objects.back().name : std::string("?"));
    const Scene offscreen = synth.make(1, SceneCondition::Offscreen);
    QVERIFY(offscreen.sourceBoxes().empty());
    QVERIFY(rms(offscreen.audio) > 0.05);
    for (const PlacedObject& o : offscreen.objects) {
      QVERIFY(o.name != offscreen.audioSource);  // the heard object is not in the picture
    }
    const Scene multi = synth.make(1, SceneCondition::MultiSource);
    QCOMPARE(multi.sourceBoxes().size(), size_t(2));
  }

  void testSeedsAreDistinctPerCondition() {
    QVERIFY(SceneSynthesizer::testSeed(SceneCondition::Positive, 0) !=
            SceneSynthesizer::testSeed(SceneCondition::Silence, 0));
    QVERIFY(SceneSynthesizer::testSeed(SceneCondition::Positive, 0) !=
            SceneSynthesizer::testSeed(SceneCondition::Positive, 1));
  }

  void packRoundTripsAndRejectsOtherFiles() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("pack.safetensors").toStdString();
    tinyPack().save(path);
    const AssetPack back = AssetPack::load(path);
    QCOMPARE(back.objects.size(), size_t(6));
    QCOMPARE(back.objects[1].name, std::string("obj1"));
    QCOMPARE(back.objects[1].image.pixels, tinyPack().objects[1].image.pixels);
    QVERIFY(std::fabs(back.objects[1].sound[100] - tinyPack().objects[1].sound[100]) <
            1e-3f);  // fp16
    QVERIFY(!back.objects[4].sounding());
    QCOMPARE(back.backgrounds.size(), size_t(1));
    QCOMPARE(back.objectsIn(Split::Test, true).size(), size_t(4));
    SynthesisOptions trainOptions;
    trainOptions.split = Split::Train;  // the tiny pack has no training objects
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SceneSynthesizer(back, trainOptions));
  }
};

QTEST_APPLESS_MAIN(TestSynthesis)
#include "tst_Synthesis.moc"
