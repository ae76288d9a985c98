// JPEG decoding and bicubic resizing against PIL itself (tests/media/pil_reference.py, Debian's
// python3-pil): what the official data loaders feed their models, byte for byte.
#include <QtTest>
#include <algorithm>
#include <cstdlib>

#include "app/media/ImageLoader.h"
#include "app/media/JpegDecoder.h"
#include "app/media/MediaError.h"
#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/PilResize.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

std::string pilPath(const std::string& name) {
  return fixture(QString::fromStdString("pil/" + name)).toStdString();
}

RgbImage rawImage(const std::string& path, int width, int height) {
  RgbImage image;
  image.width = width;
  image.height = height;
  const std::string bytes = readFile(path);
  image.pixels.assign(bytes.begin(), bytes.end());
  return image;
}

// Largest per-byte difference; INT_MAX when the sizes differ.
int maxDifference(const RgbImage& a, const RgbImage& b) {
  if (a.width != b.width || a.height != b.height || a.pixels.size() != b.pixels.size()) {
    return INT_MAX;
  }
  int worst = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
  }
  return worst;
}

const Json& cases() {
  static const Json json = Json::parse(readFile(pilPath("cases.json")));
  return json;
}

}  // namespace

class TestPilMatch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void decodesJpegAsPil_data() {
    QTest::addColumn<QString>("name");
    for (const auto& [name, entry] : cases().asObject()) {
      QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
  }

  void decodesJpegAsPil() {
    QFETCH(QString, name);
    const std::string id = name.toStdString();
    const Json::Array& size = cases().at(id).at("size").asArray();
    const RgbImage pil = rawImage(pilPath(id + ".rgb"), int(size[0].asInt()), int(size[1].asInt()));
    QVERIFY(isJpegFile(pilPath(id + ".jpg")));
    const RgbImage ours = decodeJpegLikePil(pilPath(id + ".jpg"));
    QCOMPARE(maxDifference(ours, pil), 0);
    // What FFmpeg's decoder gives instead (the decoder this replaces for still frames).
    const RgbaImage ffmpeg = decodeImageRgba(pilPath(id + ".jpg"));
    int worst = 0;
    for (size_t i = 0, j = 0; i < ffmpeg.pixels.size() && j < pil.pixels.size(); i += 4, j += 3) {
      for (size_t c = 0; c < 3; ++c) {
        worst = std::max(worst, std::abs(int(ffmpeg.pixels[i + c]) - int(pil.pixels[j + c])));
      }
    }
    qInfo("%s: ours = PIL exactly; FFmpeg differs by up to %d levels", id.c_str(), worst);
  }

  void resizesAsPil_data() { decodesJpegAsPil_data(); }

  void resizesAsPil() {
    QFETCH(QString, name);
    const std::string id = name.toStdString();
    const Json::Array& size = cases().at(id).at("size").asArray();
    const int width = int(size[0].asInt());
    const int height = int(size[1].asInt());
    const RgbImage decoded = rawImage(pilPath(id + ".rgb"), width, height);
    const RgbImage square = rawImage(pilPath(id + ".square.rgb"), 224, 224);
    QCOMPARE(maxDifference(resizeBicubicLikePil(decoded, 224, 224), square), 0);
    int shortWidth = 0;
    int shortHeight = 0;
    shorterSideTo(224, width, height, &shortWidth, &shortHeight);
    const Json::Array& expected = cases().at(id).at("short").asArray();
    QCOMPARE(shortWidth, int(expected[0].asInt()));
    QCOMPARE(shortHeight, int(expected[1].asInt()));
    const RgbImage shorter = rawImage(pilPath(id + ".short.rgb"), shortWidth, shortHeight);
    QCOMPARE(maxDifference(resizeBicubicLikePil(decoded, shortWidth, shortHeight), shorter), 0);
  }

  void brokenJpegsAreErrorsNamingTheFile() {
    QTemporaryDir dir;
    const std::string whole = readFile(pilPath("flickr_420_q75.jpg"));
    for (const size_t keep : {size_t(3), size_t(200), whole.size() / 2, whole.size() - 2}) {
      const std::string path = dir.filePath(QString("cut-%1.jpg").arg(keep)).toStdString();
      writeFileAtomically(path, whole.substr(0, keep));
      try {
        decodeJpegLikePil(path);
        QFAIL(("accepted " + path).c_str());
      } catch (const MediaError& e) {
        QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
      }
    }
    QVERIFY_THROWS_EXCEPTION(MediaError,
                             decodeJpegLikePil(dir.filePath("missing.jpg").toStdString()));
  }
};

QTEST_APPLESS_MAIN(TestPilMatch)
#include "tst_PilMatch.moc"
