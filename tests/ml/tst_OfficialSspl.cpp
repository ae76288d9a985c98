// The official SSPL release (frame_best.pth, sound_best.pth, pcm_best.pth, ssl_head_best.pth)
// against a reference computed with PyTorch and numpy in Python (tests/pth/sspl_reference.py):
// files saved by the real torch.save as the release's main.py saves them, and the test-time map
// on one frame and a 3 s waveform, through the VGGish front-end.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "LoadError.h"
#include "core/Safetensors.h"
#include "core/VggishLogMel.h"
#include "core/eval/OfficialRule.h"
#include "core/ml/LocalizationModel.h"
#include "core/ml/SsplFiles.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::loadError;

namespace {

// Largest difference allowed between our cosine map and the reference's.
constexpr double kMapTolerance = 1e-4;
// Largest difference allowed between our log-mel values and numpy's (both in double).
constexpr double kLogMelTolerance = 1e-4;

std::string path(const char* name) {
  return fixture(QString("official/") + name).toStdString();
}

const SafetensorsFile& reference() {
  static const SafetensorsFile file = loadSafetensors(path("sspl_reference.safetensors"));
  return file;
}

RgbImage referenceFrame() {
  const TensorData& data = reference().tensors.at("sspl_frame");
  const std::vector<float> values = data.toFloat();
  RgbImage frame;
  frame.height = static_cast<int>(data.shape.at(0));
  frame.width = static_cast<int>(data.shape.at(1));
  for (float v : values) {
    frame.pixels.push_back(static_cast<uint8_t>(v));
  }
  return frame;
}

std::vector<float> referenceAudio() {
  return reference().tensors.at("sspl_audio").toFloat();
}

double largestDifference(const std::vector<float>& ours, const std::vector<float>& theirs) {
  if (ours.size() != theirs.size()) {
    return INFINITY;
  }
  double worst = 0.0;
  for (size_t i = 0; i < ours.size(); ++i) {
    worst = std::max(worst, std::abs(double(ours[i]) - double(theirs[i])));
  }
  return worst;
}

// Max |our map - the reference's| for the model at path.
double mapDifference(LocalizationModel& model, const char* referenceName) {
  const Heatmap map = model.localize(referenceFrame(), referenceAudio());
  const TensorData& expected = reference().tensors.at(referenceName);
  if (expected.shape != std::vector<int64_t>{map.height, map.width}) {
    return INFINITY;
  }
  const double worst = largestDifference(map.scores, expected.toFloat());
  qInfo("%s: max |difference| %.3g over %d x %d cells", referenceName, worst, map.width,
        map.height);
  return worst;
}

}  // namespace

class TestOfficialSspl : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void vggishLogMelIsTheRecipes() {
    const PreprocessingContract contract = PreprocessingContract::ssplVggish();
    const VggishLogMel frontEnd(contract);
    int examples = 0;
    const std::vector<float> ours = frontEnd.examples(referenceAudio(), &examples);
    const TensorData& expected = reference().tensors.at("sspl_logmel");
    QCOMPARE(expected.shape, (std::vector<int64_t>{3, 96, 64}));
    QCOMPARE(examples, 3);  // 3 s: 298 frames, three whole 0.96 s examples
    const double worst = largestDifference(ours, expected.toFloat());
    qInfo("VGGish log-mel: max |ours - numpy| = %.3g", worst);
    QVERIFY(worst <= kLogMelTolerance);
    QCOMPARE(frontEnd.examplesFor(15359), 0);  // under 0.96 s + a frame: no example
    QCOMPARE(frontEnd.examplesFor(15600), 1);
  }

  void minMaxScalingIsNormalizeAudios() {
    const std::vector<float> scaled = VggishLogMel::minMaxScaled({-0.5f, 0.0f, 0.25f, 0.5f});
    QCOMPARE(scaled.front(), -1.0f);
    QVERIFY(scaled.back() < 1.0f && scaled.back() > 0.99f);  // max / (max + 1e-3)
    QVERIFY(VggishLogMel::minMaxScaled({}).empty());
  }

  void releaseFolderMatchesTheOfficialMap() {
    auto model = LocalizationModel::load(path("sspl"));
    const ModelConfig& config = model->info().config;
    QCOMPARE(config.method, std::string("sspl"));
    QVERIFY(config.network() == Architecture::SsplVgg);
    QCOMPARE(config.pcmCycles, 4);
    QCOMPARE(config.baseWidth, 8);
    QCOMPARE(model->mapSize(), 14);
    QVERIFY(model->contract().usesVggish());
    QCOMPARE(model->contract().imageCrop, std::string("centre"));
    const std::string& source = model->info().source;
    QVERIFY2(source.find("sound_best.pth") != std::string::npos &&
                 source.find("pcm_best.pth") != std::string::npos &&
                 source.find("'module.' removed") != std::string::npos &&
                 source.find("SimSiam head set aside") != std::string::npos,
             source.c_str());
    QVERIFY(mapDifference(*model, "sim_sspl") <= kMapTolerance);
  }

  void anyFileOfTheReleaseNamesIt() {
    for (const char* file :
         {"sspl/frame_best.pth", "sspl/pcm_best.pth", "sspl/ssl_head_best.pth"}) {
      QVERIFY2(isSsplFileSet(path(file)), file);
      auto model = LocalizationModel::load(path(file));
      QVERIFY(mapDifference(*model, "sim_sspl") <= kMapTolerance);
    }
    QVERIFY(!isSsplFileSet(path("ezvsl_best.pth")));
  }

  void withoutPcmIsTheVggMapsCosine() {
    auto model = LocalizationModel::load(path("sspl_wo_pcm"));
    QCOMPARE(model->info().config.pcmCycles, 0);
    QVERIFY2(model->info().source.find("without PCM") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "sim_sspl_wo_pcm") <= kMapTolerance);
    // The two releases differ, so neither test passes by accident.
    QVERIFY(mapDifference(*model, "sim_sspl") > 100 * kMapTolerance);
  }

  void survivesASafetensorsRoundTrip() {
    QTemporaryDir dir;
    auto model = LocalizationModel::load(path("sspl"));
    const std::string saved = dir.filePath("sspl.safetensors").toStdString();
    model->save(saved);
    auto back = LocalizationModel::load(saved);
    QVERIFY(back->info().config.network() == Architecture::SsplVgg);
    QVERIFY(back->contract().usesVggish());
    QVERIFY(mapDifference(*back, "sim_sspl") <= kMapTolerance);
  }

  void brokenReleasesAreRefusedByFile() {
    QTemporaryDir dir;
    namespace fs = std::filesystem;
    const fs::path folder = dir.path().toStdString();
    for (const char* file : {"frame_best.pth", "sound_best.pth", "pcm_best.pth"}) {
      fs::copy_file(path("sspl/") + file, folder / file);
    }
    // A truncated sound file: the message names it.
    fs::resize_file(folder / "sound_best.pth", fs::file_size(folder / "sound_best.pth") / 2);
    std::string why = loadError(folder.string());
    QVERIFY2(why.find("sound_best.pth") != std::string::npos, why.c_str());
    // A pcm file from another model (EZ-VSL's weights): the tensor is named.
    fs::copy_file(path("sspl/sound_best.pth"), folder / "sound_best.pth",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(path("ezvsl_best.pth"), folder / "pcm_best.pth",
                  fs::copy_options::overwrite_existing);
    why = loadError((folder / "frame_best.pth").string());
    QVERIFY2(why.find("pcm_best.pth: not SSPL's pcm network (no tensor 'PredProcess.0.weight'") !=
                 std::string::npos,
             why.c_str());
    // Without its sound file a folder is no release.
    fs::remove(folder / "sound_best.pth");
    QVERIFY(!isSsplFileSet(folder.string()));
  }

  void ownRulesResizeAsCv2() {
    // cv2.resize(INTER_LINEAR) of a linear ramp: exact on the inside, clamped at the edges.
    const std::vector<float> ramp = {0.0f, 1.0f, 2.0f, 3.0f};
    const std::vector<float> up = resizeBilinearLikeCv2(ramp, 4, 1, 8, 1);
    const std::vector<float> expected = {0.0f, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3.0f};
    QCOMPARE(up, expected);
    // SSPL: >= 0.5 of the min-max map; LVS: strictly above the value at index n/2 when sorted.
    const std::vector<float> map = {0.0f, 0.2f, 0.2f, 0.2f, 1.0f, 0.9f, 0.2f, 0.1f, 0.6f};
    int sspl = 0;
    int lvs = 0;
    for (uint8_t p : officialPrediction(map, 3, 3, OfficialRule::Sspl, 0.03, 3)) {
      sspl += p;
    }
    for (uint8_t p : officialPrediction(map, 3, 3, OfficialRule::Lvs, 0.03, 3)) {
      lvs += p;
    }
    QCOMPARE(sspl, 3);  // 1.0, 0.9, 0.6
    QCOMPARE(lvs, 3);   // above the median 0.2: 1.0, 0.9, 0.6 (ties at the median left out)
    QCOMPARE(officialRuleFromName("lvs"), OfficialRule::Lvs);
    QCOMPARE(officialRuleName(OfficialRule::Sspl), std::string("sspl"));
  }
};

QTEST_APPLESS_MAIN(TestOfficialSspl)
#include "tst_OfficialSspl.moc"
