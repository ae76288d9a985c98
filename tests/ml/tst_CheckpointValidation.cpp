// Validation at the door of a checkpoint: every number and name of its metadata is range-checked
// where it is read, and its tensors' dtypes and values, with a message that names the field and
// the file. (A checkpoint with tukey_alpha inf crashed in the spectrogram; NaN weights, int8
// weights and unknown names were taken as they were.)
#include <QtTest>
#include <cmath>
#include <limits>

#include "LoadError.h"
#include "core/Json.h"
#include "core/Safetensors.h"
#include "core/ml/CheckpointInfo.h"
#include "core/ml/LocalizationModel.h"

using namespace heardmap;
using heardmap::test::loadError;

namespace {

// A small valid checkpoint in dir.
std::string savedCheckpoint(const QTemporaryDir& dir) {
  const std::string path = dir.filePath("good.safetensors").toStdString();
  ModelConfig config = ModelConfig::compact();
  config.baseWidth = 8;
  config.embedDim = 16;
  PreprocessingContract contract = PreprocessingContract::ezvsl();
  contract.imageSize = 64;
  LocalizationModel::createUntrained(config, contract, 3)->save(path, DType::F32, false);
  return path;
}

// Saves a copy of the checkpoint with metadata key's JSON text edited: the text of field (as
// "field": VALUE) replaced by replacement.
std::string withField(const QTemporaryDir& dir, const std::string& source, const std::string& key,
                      const std::string& field, const std::string& replacement) {
  SafetensorsFile file = loadSafetensors(source);
  Json json = Json::parse(file.metadata.at(key));
  std::string text = json.dump();
  const std::string marker = "\"" + field + "\":";
  const size_t at = text.find(marker);
  if (at == std::string::npos) {
    qFatal("no field %s in %s", field.c_str(), key.c_str());
  }
  size_t end = at + marker.size();
  int depth = 0;
  bool inString = false;
  for (; end < text.size(); ++end) {
    const char c = text[end];
    if (c == '"') {
      inString = !inString;
    } else if (!inString && (c == '[' || c == '{')) {
      ++depth;
    } else if (!inString && (c == ']' || c == '}')) {
      if (depth == 0) {
        break;
      }
      --depth;
    } else if (!inString && c == ',' && depth == 0) {
      break;
    }
  }
  text.replace(at, end - at, marker + replacement);
  file.metadata[key] = text;
  const std::string out =
      dir.filePath(QString::fromStdString(field) + ".safetensors").toStdString();
  saveSafetensors(out, file);
  return out;
}

}  // namespace

class TestCheckpointValidation : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void badContractOrConfigFieldsAreNamed_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("tukey inf") << "contract"
                               << "tukey_alpha"
                               << "1e999";
    QTest::newRow("tukey 1e300") << "contract"
                                 << "tukey_alpha"
                                 << "1e300";
    QTest::newRow("tukey 5") << "contract"
                             << "tukey_alpha"
                             << "5";
    QTest::newRow("image_std 0") << "contract"
                                 << "image_std"
                                 << "[0.2, 0, 0.2]";
    QTest::newRow("image_std inf") << "contract"
                                   << "image_std"
                                   << "[0.2, 1e999, 0.2]";
    QTest::newRow("log_offset 0") << "contract"
                                  << "log_offset"
                                  << "0";
    QTest::newRow("log_offset negative") << "contract"
                                         << "log_offset"
                                         << "-1e-7";
    QTest::newRow("window hann") << "contract"
                                 << "window"
                                 << "\"hann\"";
    QTest::newRow("resize nearest") << "contract"
                                    << "image_resize"
                                    << "\"nearest\"";
    QTest::newRow("sample rate 1e12") << "contract"
                                      << "sample_rate_hz"
                                      << "1000000000000";
    QTest::newRow("window 1e9 s") << "contract"
                                  << "window_seconds"
                                  << "1e9";
    QTest::newRow("temperature inf") << "config"
                                     << "temperature"
                                     << "1e999";
    QTest::newRow("temperature 0") << "config"
                                   << "temperature"
                                   << "0";
    QTest::newRow("variant") << "config"
                             << "variant"
                             << "\"huge\"";
    QTest::newRow("base width") << "config"
                                << "base_width"
                                << "8.5";
  }

  void badContractOrConfigFieldsAreNamed() {
    QFETCH(QString, key);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QTemporaryDir dir;
    const std::string path = withField(dir, savedCheckpoint(dir), key.toStdString(),
                                       field.toStdString(), value.toStdString());
    const std::string why = loadError(path);
    QVERIFY2(why.find("'" + field.toStdString() + "'") != std::string::npos, why.c_str());
    QVERIFY2(why.find(path) != std::string::npos, why.c_str());
  }

  void unknownOrNonUtf8MethodIsRefused() {
    QTemporaryDir dir;
    const std::string good = savedCheckpoint(dir);
    for (const std::string& method : {std::string("nope"), std::string("ez\xff\xfevsl")}) {
      SafetensorsFile file = loadSafetensors(good);
      file.metadata["method"] = method;
      const std::string path = dir.filePath("method.safetensors").toStdString();
      saveSafetensors(path, file);
      const std::string why = loadError(path);
      QVERIFY2(why.find("'method'") != std::string::npos, why.c_str());
      // The message itself is valid JSON text once written (results.json, the pane's log).
      QVERIFY(Json::parse(Json(why).dump()).asString().find("method") != std::string::npos);
    }
  }

  void nonFiniteOrIntegerWeightsAreRefused() {
    QTemporaryDir dir;
    const std::string good = savedCheckpoint(dir);
    SafetensorsFile file = loadSafetensors(good);
    const std::string name = "img_proj.weight";
    TensorData& t = file.tensors.at(name);
    std::vector<float> values = t.toFloat();
    values[values.size() / 2] = std::numeric_limits<float>::quiet_NaN();
    t = TensorData::fromFloat(t.shape, values.data());
    const std::string nanPath = dir.filePath("nan.safetensors").toStdString();
    saveSafetensors(nanPath, file);
    std::string why = loadError(nanPath);
    QVERIFY2(why.find(name) != std::string::npos && why.find("NaN") != std::string::npos,
             why.c_str());

    file = loadSafetensors(good);
    TensorData& w = file.tensors.at(name);
    w.dtype = DType::I8;
    w.bytes.resize(static_cast<size_t>(w.elementCount()));
    const std::string intPath = dir.filePath("int8.safetensors").toStdString();
    saveSafetensors(intPath, file);
    why = loadError(intPath);
    QVERIFY2(why.find(name) != std::string::npos && why.find("I8") != std::string::npos,
             why.c_str());
    QVERIFY(loadError(good).empty());
  }
};

QTEST_GUILESS_MAIN(TestCheckpointValidation)
#include "tst_CheckpointValidation.moc"
