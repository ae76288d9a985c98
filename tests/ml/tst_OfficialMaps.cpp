// The official architectures against a reference computed with PyTorch in Python
// (tests/pth/official_reference.py): checkpoints saved by the real torch.save in the official
// train.py layout, and the raw map of the official forward on identical preprocessed inputs.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>

#include "LoadError.h"
#include "core/Methods.h"
#include "core/Safetensors.h"
#include "core/eval/OfficialRule.h"
#include "core/ml/LocalizationModel.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;
using heardmap::test::loadError;

namespace {

// Largest difference allowed between our raw map and the official one (S_AVL = cosine / tau).
constexpr double kMapTolerance = 1e-4;

std::string path(const char* name) {
  return fixture(QString("official/") + name).toStdString();
}

const SafetensorsFile& reference() {
  static const SafetensorsFile file = loadSafetensors(path("reference_maps.safetensors"));
  return file;
}

// Max |ours / tau - reference| over the map (ours itself with cosine = true), which must have the
// reference's shape.
double mapDifference(LocalizationModel& model, const std::string& referenceName,
                     bool cosine = false) {
  const Heatmap map =
      model.mapOfInputs(reference().tensors.at("image"), reference().tensors.at("spectrogram"));
  const TensorData& expected = reference().tensors.at(referenceName);
  const std::vector<float> values = expected.toFloat();
  if (expected.shape != std::vector<int64_t>{map.height, map.width}) {
    return INFINITY;
  }
  double worst = 0.0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double scale = cosine ? 1.0 : 1.0 / model.info().config.temperature;
    worst = std::max(worst, std::abs(map.scores[i] * scale - values[i]));
  }
  qInfo("%s: max |difference| %.3g over %zu cells (values up to %.1f)", referenceName.c_str(),
        worst, values.size(),
        std::abs(*std::max_element(values.begin(), values.end(),
                                   [](float a, float b) { return std::abs(a) < std::abs(b); })));
  return worst;
}

}  // namespace

class TestOfficialMaps : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void ezvslMatchesTheOfficialMap() {
    auto model = LocalizationModel::load(path("ezvsl_best.pth"));
    QCOMPARE(model->info().config.method, std::string("ezvsl"));
    // A bare .pth does not say its method: the source line says which was assumed.
    QVERIFY2(model->info().source.find("read as EZ-VSL (the default") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "savl_ezvsl") <= kMapTolerance);
  }

  void methodFlagNamesAnEzvslFamilyMethod() {
    auto model = LocalizationModel::load(path("ezvsl_best.pth"), {"fnac", false});
    QCOMPARE(model->info().config.method, std::string("fnac"));
    QVERIFY2(model->info().source.find("read as FNAC") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "savl_ezvsl") <= kMapTolerance);
  }

  void slavcMatchesTheOfficialMap() {
    auto model = LocalizationModel::load(path("slavc_latest.pth"));
    QCOMPARE(model->info().config.method, std::string("slavc"));  // told by its names
    QVERIFY2(model->info().source.find("present, not used") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "savl_slavc") <= kMapTolerance);
    // The two branches differ, so the momentum test below cannot pass by accident.
    QVERIFY(mapDifference(*model, "savl_slavc_momentum") > 100 * kMapTolerance);
  }

  void slavcMomentumBranchMatchesUseMomEval() {
    auto model = LocalizationModel::load(path("slavc_latest.pth"), {"", true});
    QVERIFY2(model->info().source.find("momentum branch") != std::string::npos &&
                 model->info().source.find("in use") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "savl_slavc_momentum") <= kMapTolerance);
  }

  void slavcSurvivesASafetensorsRoundTrip() {
    QTemporaryDir dir;
    auto model = LocalizationModel::load(path("slavc_latest.pth"));
    const std::string saved = dir.filePath("slavc.safetensors").toStdString();
    model->save(saved);
    auto back = LocalizationModel::load(saved);
    QCOMPARE(back->info().config.method, std::string("slavc"));
    QVERIFY(mapDifference(*back, "savl_slavc") <= kMapTolerance);
    // And it runs on a frame and an audio window like any model.
    RgbImage frame;
    frame.width = 150;
    frame.height = 100;
    frame.pixels.assign(static_cast<size_t>(150 * 100 * 3), 90);
    const std::vector<float> window(static_cast<size_t>(back->contract().windowSamples()), 0.1f);
    const Heatmap map = back->localize(frame, window);
    QCOMPARE(map.width, back->mapSize());
    for (float v : map.scores) {
      QVERIFY(std::isfinite(v) && v >= -1.0001f && v <= 1.0001f);
    }
  }

  void lvsAvenetMatchesTheOfficialMap() {
    // {'model_state_dict': DataParallel AVENet}: three stems and an fc per trunk, no heads.
    auto model = LocalizationModel::load(path("lvs_best.pth.tar"));
    const ModelConfig& config = model->info().config;
    QCOMPARE(config.method, std::string("lvs"));
    QVERIFY(config.network() == Architecture::Avenet);
    QCOMPARE(config.layer4Stride, 1);
    QCOMPARE(model->mapSize(), 14);  // at 224
    QCOMPARE(model->contract().windowSeconds, 20.0);
    QVERIFY2(model->info().source.find("AVENet") != std::string::npos &&
                 model->info().source.find("'model_state_dict'") != std::string::npos,
             model->info().source.c_str());
    QVERIFY(mapDifference(*model, "cos_lvs", /*cosine=*/true) <= kMapTolerance);
    // Saved by Heardmap, it stays an AVENet.
    QTemporaryDir dir;
    const std::string saved = dir.filePath("lvs.safetensors").toStdString();
    model->save(saved);
    auto back = LocalizationModel::load(saved);
    QVERIFY(back->info().config.network() == Architecture::Avenet);
    QVERIFY(mapDifference(*back, "cos_lvs", /*cosine=*/true) <= kMapTolerance);
    // SSL-Align evaluates the same network with its own audio cut.
    auto align = LocalizationModel::load(path("lvs_best.pth.tar"), {"sslalign", false});
    QCOMPARE(align->info().config.method, std::string("sslalign"));
    QCOMPARE(align->contract().windowSeconds, 3.0);
    QCOMPARE(align->contract().hopSamples(), 159);
    QVERIFY(mapDifference(*align, "cos_lvs", /*cosine=*/true) <= kMapTolerance);
  }

  void bicubicUpsamplingIsTorchs() {
    const TensorData& in = reference().tensors.at("bicubic_in");
    const std::vector<float> expected = reference().tensors.at("bicubic_out").toFloat();
    const std::vector<float> ours =
        upsampleBicubicAlignCorners(in.toFloat(), int(in.shape[1]), int(in.shape[0]), 224, 224);
    QCOMPARE(ours.size(), expected.size());
    double worst = 0.0;
    for (size_t i = 0; i < ours.size(); ++i) {
      worst = std::max(worst, double(std::abs(ours[i] - expected[i])));
    }
    qInfo("bicubic 7x5 -> 224x224: max |ours - torch| = %.3g (values up to ~30)", worst);
    QVERIFY(worst <= 1e-4);
  }

  void contradictingMethodsAreRefusedByName() {
    std::string why = loadError(path("ezvsl_best.pth"), {"slavc", false});
    QVERIFY2(why.find("--method slavc") != std::string::npos &&
                 why.find("img_proj1") != std::string::npos &&
                 why.find("ezvsl_best.pth") != std::string::npos,
             why.c_str());
    why = loadError(path("slavc_latest.pth"), {"fnac", false});
    QVERIFY2(why.find("--method fnac") != std::string::npos &&
                 why.find("SLAVC's img_proj1") != std::string::npos,
             why.c_str());
    why = loadError(path("lvs_best.pth.tar"), {"sslsan", false});
    QVERIFY2(why.find("AVENet") != std::string::npos, why.c_str());
    why = loadError(path("ezvsl_best.pth"), {"nope", false});
    QVERIFY2(why.find("'nope'") != std::string::npos && why.find("slavc") != std::string::npos,
             why.c_str());
    why = loadError(path("ezvsl_best.pth"), {"", true});
    QVERIFY2(why.find("momentum") != std::string::npos, why.c_str());
  }

  void everyMethodIsOneRow() {
    // The table names each method once, and the trainer offers exactly the rows it can train.
    std::set<std::string> names;
    for (const MethodInfo& row : methods()) {
      QVERIFY2(names.insert(row.name).second, row.name.c_str());
      QVERIFY(!row.displayName.empty() && !row.officialEvaluation.empty());
    }
    QVERIFY(isMethodName("slavc") && !isTrainableMethod("slavc"));
    QVERIFY(isTrainableMethod("ezvsl") && isTrainableMethod("sspl"));
    QCOMPARE(methodNameList(true), std::string("ezvsl, lvs, marginnce, fnac, sslsan or sspl"));
    QVERIFY(isMethodName("sslalign") && !isTrainableMethod("sslalign"));
    QVERIFY(findMethod("lvs")->accepts(Architecture::Avenet));
  }
};

QTEST_APPLESS_MAIN(TestOfficialMaps)
#include "tst_OfficialMaps.moc"
