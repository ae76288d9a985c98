#include <sys/resource.h>
#include <QtTest>
#include <csignal>
#include <cstring>
#include <random>

#include "core/AtomicFile.h"
#include "core/Safetensors.h"

using namespace heardmap;

namespace {

SafetensorsFile sample() {
  SafetensorsFile file;
  const float a[6] = {1.0f, -2.0f, 3.5f, 0.0f, 1e-3f, -7.25f};
  file.tensors["layer.weight"] = TensorData::fromFloat({2, 3}, a);
  const float b[2] = {0.5f, 65504.0f};
  file.tensors["layer.bias"] = TensorData::fromFloat({2}, b, DType::F16);
  TensorData counter;
  counter.dtype = DType::I64;
  counter.shape = {};
  const int64_t value = 7;
  counter.bytes.assign(reinterpret_cast<const char*>(&value), 8);
  file.tensors["bn.num_batches_tracked"] = counter;
  file.metadata["method"] = "ezvsl";
  file.metadata["contract"] = "{\"sample_rate_hz\":16000}";
  return file;
}

std::string withHeader(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  }
  return out + header + data;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTripsTensorsAndMetadata() {
    const SafetensorsFile original = sample();
    const std::string bytes = serializeSafetensors(original);
    uint64_t headerSize = 0;
    std::memcpy(&headerSize, bytes.data(), 8);
    QCOMPARE((headerSize + 8) % 8, uint64_t(0));  // data section starts 8-byte aligned
    QCOMPARE(bytes.size(), size_t(8 + headerSize + 6 * 4 + 2 * 2 + 8));
    const SafetensorsFile back = parseSafetensors(bytes);
    QCOMPARE(back.metadata, original.metadata);
    QCOMPARE(back.tensors.size(), size_t(3));
    const std::vector<float> weight = back.tensors.at("layer.weight").toFloat();
    QCOMPARE(weight[2], 3.5f);
    QCOMPARE(weight[5], -7.25f);
    const std::vector<float> bias = back.tensors.at("layer.bias").toFloat();
    QCOMPARE(bias[0], 0.5f);
    QCOMPARE(bias[1], 65504.0f);  // largest finite half
    QCOMPARE(back.tensors.at("bn.num_batches_tracked").toFloat()[0], 7.0f);
    QVERIFY(back.tensors.at("bn.num_batches_tracked").shape.empty());
  }

  void halfConversionRoundsToNearest() {
    QCOMPARE(halfToFloat(floatToHalf(1.0f)), 1.0f);
    QCOMPARE(halfToFloat(floatToHalf(-2.5f)), -2.5f);
    QCOMPARE(halfToFloat(floatToHalf(1.0f + 1.0f / 4096.0f)), 1.0f);  // below half a ulp (1/1024)
    QCOMPARE(halfToFloat(floatToHalf(5.96046448e-8f)), 5.96046448e-8f);  // smallest subnormal
    QVERIFY(std::isinf(halfToFloat(floatToHalf(1e6f))));
  }

  void rejectsMalformedFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const std::string good = serializeSafetensors(sample());
    QTest::newRow("too short") << QByteArray("abc") << "shorter than";
    QTest::newRow("huge header length")
        << QByteArray::fromStdString(
               withHeader("", "").replace(0, 8, std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8)))
        << "implausibly large";
    QTest::newRow("truncated header")
        << QByteArray::fromStdString(good.substr(0, 40)) << "truncated header";
    QTest::newRow("truncated data")
        << QByteArray::fromStdString(good.substr(0, good.size() - 5)) << "outside";
    QTest::newRow("not json") << QByteArray::fromStdString(withHeader("{nope", "")) << "bad header";
    QTest::newRow("not an object")
        << QByteArray::fromStdString(withHeader("[1]", "")) << "not a JSON object";
    QTest::newRow("unknown dtype")
        << QByteArray::fromStdString(
               withHeader(R"({"t":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}})", "1234"))
        << "unknown dtype";
    QTest::newRow("size mismatch")
        << QByteArray::fromStdString(
               withHeader(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", "1234"))
        << "needs 8";
    QTest::newRow("negative dim")
        << QByteArray::fromStdString(
               withHeader(R"({"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "1234"))
        << "bad dimension";
    QTest::newRow("reversed offsets")
        << QByteArray::fromStdString(
               withHeader(R"({"t":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}})", "1234"))
        << "outside";
    QTest::newRow("overlap")
        << QByteArray::fromStdString(withHeader(
               R"({"a":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"b":{"dtype":"U8","shape":[3],"data_offsets":[1,4]}})",
               "1234"))
        << "overlap";
    QTest::newRow("metadata not strings")
        << QByteArray::fromStdString(withHeader(R"({"__metadata__":{"a":1}})", ""))
        << "not a string";
    QTest::newRow("overflowing shape")
        << QByteArray::fromStdString(withHeader(
               R"({"t":{"dtype":"F64","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})",
               "1234"))
        << "bad dimension";
  }

  void rejectsMalformedFiles() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    try {
      parseSafetensors(bytes.toStdString());
      QFAIL("accepted a malformed file");
    } catch (const SafetensorsError& e) {
      QVERIFY2(QString(e.what()).contains(message), e.what());
    }
  }

  // Random byte flips, truncations and insertions must give SafetensorsError or a valid parse:
  // never a crash or another exception type.
  void survivesMutations() {
    const std::string good = serializeSafetensors(sample());
    std::mt19937 rng(1234);
    int rejected = 0;
    for (int i = 0; i < 3000; ++i) {
      std::string bytes = good;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        const size_t at = rng() % bytes.size();
        switch (rng() % 3) {
          case 0:
            bytes[at] = static_cast<char>(rng());
            break;
          case 1:
            bytes.resize(at);
            break;
          default:
            bytes.insert(at, 1, static_cast<char>(rng()));
            break;
        }
        if (bytes.empty()) {
          break;
        }
      }
      try {
        const SafetensorsFile parsed = parseSafetensors(bytes);
        for (const auto& [name, tensor] : parsed.tensors) {
          QCOMPARE(static_cast<int64_t>(tensor.bytes.size()),
                   tensor.elementCount() * static_cast<int64_t>(dtypeSize(tensor.dtype)));
        }
      } catch (const SafetensorsError&) {
        ++rejected;
      }
    }
    QVERIFY(rejected > 1000);
  }

  void savesAtomically() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("model.safetensors").toStdString();
    saveSafetensors(path, sample());
    const std::string before = readFile(path);
    QCOMPARE(loadSafetensors(path).tensors.size(), size_t(3));
    QVERIFY_THROWS_EXCEPTION(
        FileError,
        saveSafetensors(dir.filePath("missing/dir/x.safetensors").toStdString(), sample()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temp file left behind
    QCOMPARE(readFile(path), before);
  }

  // Long work checks its output folder first: a missing one is created (parents too) and left
  // without a trace of the probe; one that cannot take files is an error naming it.
  void writableFolderIsCheckedUpFront() {
    QTemporaryDir dir;
    const std::string nested = dir.filePath("runs/today").toStdString();
    ensureWritableDirectory(nested);
    QVERIFY(QDir(QString::fromStdString(nested)).exists());
    QVERIFY(QDir(QString::fromStdString(nested)).entryList(QDir::Files | QDir::Hidden).isEmpty());
    ensureWritableDirectory(nested);  // again: it exists now
    bool threw = false;
    try {
      ensureWritableDirectory("/proc/heardmap-no-such-folder");  // /proc takes no new folders
    } catch (const FileError& e) {
      threw = true;
      QVERIFY2(QString(e.what()).contains("/proc/heardmap-no-such-folder"), e.what());
    }
    QVERIFY(threw);
    // A folder that exists but takes no files (even as root): a plain file in the way.
    writeFileAtomically(dir.filePath("plain").toStdString(), "x");
    QVERIFY_THROWS_EXCEPTION(FileError,
                             ensureWritableDirectory(dir.filePath("plain").toStdString()));
  }

  // A full disk (simulated with a file-size limit) fails the save and keeps the old file intact.
  void diskFullKeepsTheOldFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("model.safetensors").toStdString();
    writeFileAtomically(path, "old contents");
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    getrlimit(RLIMIT_FSIZE, &old);
    rlimit small = old;
    small.rlim_cur = 1024;
    setrlimit(RLIMIT_FSIZE, &small);
    bool threw = false;
    try {
      writeFileAtomically(path, std::string(64 * 1024, 'x'));
    } catch (const FileError& e) {
      threw = true;
      QVERIFY2(QString(e.what()).contains("cannot write"), e.what());
    }
    setrlimit(RLIMIT_FSIZE, &old);
    QVERIFY(threw);
    QCOMPARE(readFile(path), std::string("old contents"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_Safetensors.moc"
