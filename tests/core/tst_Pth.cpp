// The .pth reader against files written by the real torch.save (tests/pth/make_pth_fixtures.py):
// every layout and format loads with the values torch saved, what torch.load(weights_only=True)
// refuses is refused by name, and every truncation and damaged record is an error.
#include <QtTest>
#include <cmath>
#include <filesystem>

#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/pth/PthReader.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

Json expectedContents() {
  return Json::parse(readFile(fixture("pth/expected.json").toStdString()));
}

std::string fixtureBytes(const std::string& name) {
  return readFile(fixture(QString::fromStdString("pth/" + name)).toStdString());
}

bool sameTensors(const StateDict& a, const StateDict& b) {
  if (a.size() != b.size())
    return false;
  for (const auto& [name, t] : a) {
    const auto it = b.find(name);
    if (it == b.end() || it->second.dtype != t.dtype || it->second.shape != t.shape ||
        it->second.bytes != t.bytes) {
      return false;
    }
  }
  return true;
}

}  // namespace

class TestPth : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void readsEveryLayoutTorchWrote() {
    int checked = 0;
    const Json contents = expectedContents();
    for (const auto& [file, want] : contents.asObject()) {
      if (want.contains("error"))
        continue;
      const QByteArray label = QByteArray::fromStdString(file);
      PthContents got;
      try {
        got = readPth(fixture(QString::fromStdString("pth/" + file)).toStdString());
      } catch (const PthError& e) {
        QFAIL(qPrintable(label + ": " + e.what()));
      }
      QCOMPARE(got.format, want.at("format").asString());
      QCOMPARE(got.weightsKey, want.at("weights_key").asString());
      QCOMPARE(got.strippedPrefix, want.at("prefix").asString());
      QCOMPARE(got.skipped.size(), want.at("skipped").asArray().size());
      for (const Json& name : want.at("skipped").asArray()) {
        bool named = false;
        for (const std::string& s : got.skipped)
          named = named || s.rfind(name.asString(), 0) == 0;
        QVERIFY2(named,
                 qPrintable(label + " skipped " + QByteArray::fromStdString(name.asString())));
      }
      const auto& tensors = want.at("tensors").asObject();
      QCOMPARE(got.tensors.size(), tensors.size());
      for (const auto& [name, spec] : tensors) {
        const QByteArray where = label + " " + QByteArray::fromStdString(name);
        QVERIFY2(got.tensors.count(name) == 1, where.constData());
        const TensorData& t = got.tensors.at(name);
        QCOMPARE(dtypeName(t.dtype), spec.at("dtype").asString());
        std::vector<int64_t> shape;
        for (const Json& d : spec.at("shape").asArray())
          shape.push_back(d.asInt());
        QVERIFY2(t.shape == shape, where.constData());
        const std::vector<float> values = t.toFloat();
        const auto& expected = spec.at("values").asArray();
        QVERIFY2(values.size() >= expected.size(), where.constData());
        for (size_t i = 0; i < expected.size(); ++i) {
          QVERIFY2(values[i] == static_cast<float>(expected[i].asNumber()), where.constData());
        }
        double sum = 0.0;
        for (float v : values)
          sum += v;
        const double want = spec.at("sum").asNumber();
        QVERIFY2(std::abs(sum - want) <= 1e-4 * (1.0 + std::abs(want)), where.constData());
      }
      ++checked;
    }
    QVERIFY(checked >= 14);
  }

  void refusesWhatIsNotWeights() {
    std::filesystem::remove("/tmp/heardmap-pth-was-executed");
    int checked = 0;
    const Json contents = expectedContents();
    for (const auto& [file, want] : contents.asObject()) {
      if (!want.contains("error"))
        continue;
      const std::string path = fixture(QString::fromStdString("pth/" + file)).toStdString();
      try {
        readPth(path);
        QFAIL(qPrintable(QString::fromStdString(file + " was accepted")));
      } catch (const PthError& e) {
        const QString message = e.what();
        QVERIFY2(message.contains(QString::fromStdString(want.at("error").asString())), e.what());
        QVERIFY2(message.startsWith(QString::fromStdString(path)), e.what());
      }
      ++checked;
    }
    QVERIFY(checked >= 8);
    QVERIFY2(!std::filesystem::exists("/tmp/heardmap-pth-was-executed"), "pickle code ran");
  }

  // Cut anywhere, a file is an error (never a partial or garbage read).
  void everyTruncationIsAnError() {
    for (const std::string name :
         {"plain.pth", "plain_legacy.pth", "ezvsl_ddp.pth", "ezvsl_ddp_legacy.pth", "views.pth"}) {
      const std::string bytes = fixtureBytes(name);
      for (size_t cut = 0; cut < bytes.size(); ++cut) {
        try {
          parsePth(std::string_view(bytes).substr(0, cut));
          QFAIL(qPrintable(QString::fromStdString(name) + " cut to " + QString::number(cut) +
                           " bytes was accepted"));
        } catch (const PthError&) {
        }
      }
    }
  }

  // A flipped bit in a zip-format file is caught (the CRC-32 of every record is checked) or lies
  // in a field that changes nothing (time stamps, attributes): the tensors are then identical.
  void bitFlipsAreCaughtOrHarmless() {
    for (const std::string name : {"plain.pth", "views.pth", "ezvsl_ddp.pth"}) {
      const std::string bytes = fixtureBytes(name);
      const StateDict original = parsePth(bytes).tensors;
      size_t rejected = 0;
      for (size_t at = 0; at < bytes.size(); ++at) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
        try {
          const PthContents got = parsePth(damaged);
          QVERIFY2(sameTensors(got.tensors, original),
                   qPrintable(QString::fromStdString(name) + ": flip at byte " +
                              QString::number(at) + " changed the tensors silently"));
        } catch (const PthError&) {
          ++rejected;
        }
      }
      QVERIFY2(rejected > bytes.size() / 2, qPrintable(QString::number(rejected)));
    }
  }
};

QTEST_GUILESS_MAIN(TestPth)
#include "tst_Pth.moc"
