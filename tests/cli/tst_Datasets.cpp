// The standard dataset layouts, read from miniature folders made by tests/make-fixtures.sh.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>

#include "app/cli/DatasetReader.h"
#include "core/AtomicFile.h"
#include "core/Json.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

std::string dataset(const char* name) {
  return fixture(QString("datasets/") + name).toStdString();
}
float at(const std::vector<float>& map, int x, int y) {
  return map[static_cast<size_t>(y * kEvalGridSize + x)];
}

// One checkpoint of the official layouts (under the fixtures' official/) and the per-sample cIoU
// of its method's test.py replica (official_flickr/official_ciou_<method>.json).
struct OfficialCase {
  QString checkpoint;
  QString method;
  std::vector<std::string> columns;  // the sample-row fields that must equal it
};

struct OfficialComparison {
  int exitCode = -1;
  QString output;
  int compared = 0;         // sample rows read
  int expected = 0;         // samples of the replicas' files
  double worst = INFINITY;  // largest |ours - official| over every row and column
};

// heardmap eval on the Flickr-layout fixture with every case's checkpoint, against the replicas.
OfficialComparison compareWithOfficialTests(const std::vector<OfficialCase>& cases) {
  OfficialComparison result;
  QTemporaryDir dir;
  QStringList args = {"eval", "--data", fixture("official_flickr"), "--format", "flickr"};
  for (const OfficialCase& c : cases) {
    args << "--checkpoint" << fixture("official/" + c.checkpoint);
  }
  const auto run =
      heardmap::test::runHeardmap(args + QStringList{"--gallery", "0", "--out", dir.path()});
  result.exitCode = run.exitCode;
  result.output = run.output;
  if (run.exitCode != 0) {
    return result;
  }
  std::vector<Json> official;
  for (const OfficialCase& c : cases) {
    official.push_back(Json::parse(
        readFile(fixture("official_flickr/official_ciou_" + c.method + ".json").toStdString())));
    result.expected += int(official.back().asObject().size());
  }
  const Json results = Json::parse(readFile(dir.filePath("results.json").toStdString()));
  result.worst = 0.0;
  for (const Json& row : results.at("samples").asArray()) {
    for (size_t i = 0; i < cases.size(); ++i) {
      if (row.at("model").asString().find(cases[i].checkpoint.toStdString()) == std::string::npos) {
        continue;
      }
      const double expected = official[i].at(row.at("sample").asString()).asNumber();
      for (const std::string& column : cases[i].columns) {
        result.worst = std::max(result.worst, std::abs(row.at(column).asNumber() - expected));
      }
      ++result.compared;
      break;
    }
  }
  qInfo("%d sample rows: max |cIoU - official test.py| = %.2g", result.compared, result.worst);
  return result;
}

}  // namespace

class TestDatasets : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void detectsFormats() {
    QCOMPARE(detectDatasetFormat(dataset("flickr")), DatasetFormat::Flickr);
    QCOMPARE(detectDatasetFormat(dataset("vggss")), DatasetFormat::VggSs);
    QCOMPARE(detectDatasetFormat(dataset("avs")), DatasetFormat::AvsBench);
    QCOMPARE(detectDatasetFormat(dataset("is3")), DatasetFormat::Is3);
    QCOMPARE(detectDatasetFormat(dataset("folder")), DatasetFormat::Folder);
  }

  // Two annotators' boxes (0..128 and 64..192 in 256 px) become 0..112 and 56..168 on 224:
  // the overlap weighs 1, the rest of each box 0.5. f2 has no frame or audio: skipped, counted.
  void flickrConsensus() {
    const DatasetScan scan = readDataset(dataset("flickr"), DatasetFormat::Flickr);
    QCOMPARE(scan.samples.size(), size_t(1));
    QCOMPARE(scan.missing, 1);
    QVERIFY(QString::fromStdString(scan.missingExamples.front()).contains("f2"));
    const std::vector<float>& gt = scan.samples[0].target.groundTruth;
    QCOMPARE(at(gt, 10, 10), 0.5f);
    QCOMPARE(at(gt, 60, 60), 1.0f);
    QCOMPARE(at(gt, 111, 111), 1.0f);
    QCOMPARE(at(gt, 150, 150), 0.5f);
    QCOMPARE(at(gt, 167, 167), 0.5f);
    QCOMPARE(at(gt, 168, 168), 0.0f);
  }

  // VGG-SS: [0.25, 0.5, 0.75, 1.2] -> columns 56..168, rows 112..224 (clipped); "gone" is missing.
  void vggssUnion() {
    const DatasetScan scan = readDataset(dataset("vggss"), DatasetFormat::VggSs);
    QCOMPARE(scan.samples.size(), size_t(1));
    QCOMPARE(scan.missing, 1);
    const std::vector<float>& gt = scan.samples[0].target.groundTruth;
    QCOMPARE(at(gt, 56, 112), 1.0f);
    QCOMPARE(at(gt, 55, 112), 0.0f);
    QCOMPARE(at(gt, 167, 223), 1.0f);
    QCOMPARE(at(gt, 168, 200), 0.0f);
    QCOMPARE(at(gt, 100, 111), 0.0f);
    QCOMPARE(scan.samples[0].audioCentreSeconds, -1.0);  // the middle of the 10 s file
  }

  // AVSBench entries carry the authors' absolute paths; the reader finds the files under root.
  void avsBenchRebasesPathsAndTimesFrames() {
    const DatasetScan scan = readDataset(dataset("avs"), DatasetFormat::AvsBench);
    QCOMPARE(scan.samples.size(), size_t(1));
    QCOMPARE(scan.missing, 0);
    QVERIFY(QFileInfo::exists(QString::fromStdString(scan.samples[0].imagePath)));
    QCOMPARE(scan.samples[0].audioCentreSeconds, 2.5);  // frame 3 of the 5 s clip
    QCOMPARE(at(scan.samples[0].target.groundTruth, 21, 72), 1.0f);
    QCOMPARE(at(scan.samples[0].target.groundTruth, 196, 72), 0.0f);
  }

  void is3GroupsInstancesPerImage() {
    const DatasetScan scan = readDataset(dataset("is3"), DatasetFormat::Is3);
    QCOMPARE(scan.samples.size(), size_t(2));
    QCOMPARE(scan.samples[0].target.group, std::string("cat_bell_7"));
    QCOMPARE(scan.samples[1].target.group, std::string("cat_bell_7"));
    QCOMPARE(scan.samples[1].target.instanceGroundTruths.size(), size_t(1));
  }

  void folderWithAndWithoutBoxes() {
    const DatasetScan scan = readDataset(dataset("folder"), DatasetFormat::Folder);
    QCOMPARE(scan.samples.size(), size_t(3));  // two annotated times of a.mp4, the middle of b.webm
    QCOMPARE(scan.samples[1].frameSeconds, 1.5);
    QCOMPARE(at(scan.samples[1].target.groundTruth, 150, 150), 1.0f);
    QVERIFY(scan.samples[2].target.groundTruth.empty());
  }

  void missingIndexIsAClearError() {
    try {
      readDataset(dataset("folder"), DatasetFormat::VggSs);
      QFAIL("read a folder without vggss.json");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("vggss.json"), e.what());
    }
  }

  void evalCommandRunsOnADatasetFolder() {
    QTemporaryDir dir;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                  {"eval", "--data", fixture("datasets/is3"), "--checkpoint", "untrained", "--out",
                   dir.path()});
    QVERIFY(process.waitForFinished(120000));
    const QString output = QString::fromUtf8(process.readAll());
    QVERIFY2(process.exitCode() == 0, qPrintable(output));
    QVERIFY(output.contains("is3: 2 samples, 0 skipped"));
    QFile csv(dir.filePath("results.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);  // header + the positive row
    QVERIFY(lines[1].contains(",positive,2,"));
    QVERIFY(QFileInfo(dir.filePath("success_curves.png")).size() > 1000);
  }

  // Issue 20: the centre prior, random maps and the untrained model are scored like models, on
  // a real layout: a centred box is inside the prior's top half (cIoU = box / half the image), a
  // corner box outside it; a random map does not depend on the other entries of the run.
  void evalScoresTheBaselines() {
    QTemporaryDir dir;
    const QString data = dir.filePath("data");
    QVERIFY(QDir().mkpath(data));
    QVERIFY(QFile::copy(fixture("clip.mp4"), data + "/a.mp4"));
    writeFileAtomically((data + "/boxes.json").toStdString(),
                        R"({"a.mp4": [{"time": 0.5, "boxes": [[0.3, 0.3, 0.7, 0.7]]},)"
                        R"( {"time": 1.0, "boxes": [[0.0, 0.0, 0.15, 0.15]]}]})");
    const auto scores = [&](const QStringList& checkpoints, const QString& out) {
      QStringList args{"eval", "--data", data, "--format", "folder", "--out", out};
      for (const QString& c : checkpoints) {
        args << "--checkpoint" << c;
      }
      const auto run = heardmap::test::runHeardmap(args);
      std::map<std::string, double> byModelAndSample;  // "model|sample" -> relative cIoU
      if (run.exitCode != 0) {
        qWarning("%s", qPrintable(run.output));
        return byModelAndSample;
      }
      const Json results = Json::parse(readFile((out + "/results.json").toStdString()));
      for (const Json& row : results.at("samples").asArray()) {
        byModelAndSample[row.at("model").asString() + "|" + row.at("sample").asString()] =
            row.at("ciou_relative").asNumber();
      }
      return byModelAndSample;
    };
    const auto first = scores({"centre-prior", "random", "untrained"}, dir.filePath("one"));
    QCOMPARE(int(first.size()), 6);
    std::vector<double> centre;
    for (const auto& [key, ciou] : first) {
      if (key.rfind("centre prior", 0) == 0) {
        centre.push_back(ciou);  // samples in id order: the centred box, then the corner one
      }
    }
    QCOMPARE(int(centre.size()), 2);
    const double boxShare = 0.4 * 0.4 / 0.5;
    QVERIFY2(std::abs(centre[0] - boxShare) < 0.02, qPrintable(QString::number(centre[0])));
    QCOMPARE(centre[1], 0.0);
    const auto second = scores({"random:2", "random"}, dir.filePath("two"));
    QCOMPARE(int(second.size()), 4);
    int randomRows = 0;
    for (const auto& [key, ciou] : first) {
      if (key.rfind("random (seed 1)", 0) == 0) {
        QCOMPARE(second.at(key), ciou);
        ++randomRows;
      }
    }
    QCOMPARE(randomRows, 2);
  }

  // The real-video dev set's boxes (bench/real-dev/boxes.json) are a valid folder index: with any
  // video under each clip's name, all 32 entries read and none is rejected. Without the clips,
  // scripts/eval-real-dev.sh says which are missing and evaluates nothing (exit 3).
  void realDevSetIsAValidIndexAndSaysWhenTheClipsAreMissing() {
    const QString sources = qEnvironmentVariable("HEARDMAP_TEST_SOURCES") + "/..";
    const std::string boxes = (sources + "/bench/real-dev/boxes.json").toStdString();
    QTemporaryDir dir;
    writeFileAtomically((dir.path() + "/boxes.json").toStdString(), readFile(boxes));
    const Json index = Json::parse(readFile(boxes));
    int clips = 0;
    for (const auto& [clip, entries] : index.asObject()) {
      QVERIFY(QFile::copy(fixture("clip.mp4"), dir.filePath(QString::fromStdString(clip))));
      ++clips;
    }
    QCOMPARE(clips, 11);
    const DatasetScan scan = readDataset(dir.path().toStdString(), DatasetFormat::Folder);
    QCOMPARE(int(scan.samples.size()), 32);
    QCOMPARE(scan.rejected, 0);
    QCOMPARE(scan.missing, 0);

    QTemporaryDir empty;
    QProcess script;
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start("bash", {sources + "/scripts/eval-real-dev.sh", "--media", empty.path(), "--out",
                          empty.filePath("out")});
    QVERIFY(script.waitForFinished(60000));
    const QString output = QString::fromUtf8(script.readAll());
    QVERIFY2(script.exitCode() == 3, qPrintable(output));
    QVERIFY2(output.contains("11 are not there") && output.contains("puppy.mp4") &&
                 output.contains("nothing evaluated"),
             qPrintable(output));
    QVERIFY(!QFileInfo::exists(empty.filePath("out")));
    // --only keeps a held-out split of clips: those it names must be clips of the set.
    script.start("bash", {sources + "/scripts/eval-real-dev.sh", "--media", empty.path(), "--only",
                          "puppy.mp4,horses_arena.mp4", "--out", empty.filePath("out")});
    QVERIFY(script.waitForFinished(60000));
    const QString split = QString::fromUtf8(script.readAll());
    QVERIFY2(script.exitCode() == 3 && split.contains("2 are not there"), qPrintable(split));
    script.start("bash", {sources + "/scripts/eval-real-dev.sh", "--only", "nope.mp4"});
    QVERIFY(script.waitForFinished(60000));
    const QString unknown = QString::fromUtf8(script.readAll());
    QVERIFY2(script.exitCode() == 2 && unknown.contains("not clips of the dev set: nope.mp4"),
             qPrintable(unknown));
  }

  // Per-sample rows (samples.csv, results.json "samples") and --save-maps: numpy itself (Debian's
  // python3-numpy) loads every map, with the shapes and the max score the rows report.
  void evalWritesPerSampleRowsAndMaps() {
    QTemporaryDir dir;
    const QString maps = dir.filePath("maps");
    const auto run = heardmap::test::runHeardmap({"eval", "--data", fixture("datasets/flickr"),
                                                  "--checkpoint", "untrained", "--out",
                                                  dir.filePath("eval"), "--save-maps", maps});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QFile csv(dir.filePath("eval/samples.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QVERIFY(lines[0].startsWith("sample,condition,model,ciou_relative"));
    QVERIFY(lines.size() >= 2);
    const Json results = Json::parse(readFile(dir.filePath("eval/results.json").toStdString()));
    const Json::Array& samples = results.at("samples").asArray();
    QCOMPARE(int(samples.size()), int(lines.size()) - 1);
    QString check =
        "import json, numpy as np, sys\n"
        "rows = json.load(open(sys.argv[1]))['samples']\n"
        "for r in rows:\n"
        "    raw = np.load(sys.argv[2] + '/' + r['sample'] + '.raw.npy')\n"
        "    up = np.load(sys.argv[2] + '/' + r['sample'] + '.upsampled.npy')\n"
        "    assert raw.dtype == np.float32 and raw.ndim == 2 and raw.shape[0] >= 2, raw.shape\n"
        "    assert abs(up[0, 0] - raw[0, 0]) < 1e-6 and abs(up[-1, -1] - raw[-1, -1]) < 1e-6\n"
        "    assert up.shape == (224, 224), up.shape\n"
        "    assert abs((up.max() + 1) / 2 - r['max_score']) < 1e-5\n"
        "    assert 0 <= r['ciou_relative'] <= 1\n"
        "print(len(rows), 'rows checked')\n";
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(heardmap::test::kTorchPython,
                 {"-c", check, dir.filePath("eval/results.json"), maps});
    QVERIFY(python.waitForFinished(60000));
    const QString output = QString::fromUtf8(python.readAll());
    QVERIFY2(python.exitCode() == 0 && output.contains("rows checked"), qPrintable(output));
  }

  // Checkpoints as the official train.py saves them, in one eval: --method applies to the files
  // after it, SLAVC is told by its names, and each model line says what was read.
  void evalReadsOfficialCheckpointsWithTheirMethods() {
    QTemporaryDir dir;
    const auto run = heardmap::test::runHeardmap(
        {"eval", "--data", fixture("datasets/flickr"), "--checkpoint",
         fixture("official/ezvsl_best.pth"), "--method", "fnac", "--checkpoint",
         fixture("official/ezvsl_best.pth"), "--momentum-branch", "--checkpoint",
         fixture("official/slavc_latest.pth"), "--gallery", "0", "--out", dir.path()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.output.contains("read as EZ-VSL (the default") &&
                 run.output.contains("read as FNAC") && run.output.contains("read as SLAVC") &&
                 run.output.contains("momentum branch (248 tensors) in use"),
             qPrintable(run.output));
    const Json results = Json::parse(readFile(dir.filePath("results.json").toStdString()));
    QString models;
    for (const Json& row : results.at("samples").asArray()) {
      models += QString::fromStdString(row.at("model").asString()) + ";";
    }
    QVERIFY2(models.contains("ezvsl") && models.contains("fnac") && models.contains("slavc"),
             qPrintable(models));
    const auto wrong = heardmap::test::runHeardmap(
        {"eval", "--data", fixture("datasets/flickr"), "--method", "sspl", "--checkpoint",
         fixture("official/ezvsl_best.pth"), "--out", dir.filePath("wrong")});
    QVERIFY(wrong.exitCode != 0);
    QVERIFY2(wrong.output.contains("--method sspl") && wrong.output.contains("ezvsl_best.pth"),
             qPrintable(wrong.output));
  }

  // Issue 17's bar: on a Flickr-layout folder of JPEG frames, heardmap eval gives each sample the
  // cIoU that the official test.py gives it (tests/pth/official_eval.py: PIL, torchvision, scipy,
  // PyTorch), within 0.005: an EZ-VSL checkpoint by EZ-VSL's rule, a SLAVC one by SLAVC's.
  void evalMatchesTheOfficialTestPerSample() {
    const OfficialComparison run =
        compareWithOfficialTests({{"ezvsl_best.pth", "ezvsl", {"ciou_relative", "ciou_official"}},
                                  {"slavc_latest.pth", "slavc", {"ciou_official"}}});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.output.contains("own rule: ezvsl") && run.output.contains("own rule: slavc"),
             qPrintable(run.output));
    QCOMPARE(run.compared, run.expected);
    QVERIFY(run.worst <= 0.005);
  }

  // The same for LVS and SSPL, through their own loaders (short side to 224, centre crop; LVS's
  // first 20 s, SSPL's VGGish) and rules (cv2-style resizing; LVS above the median, SSPL >= 0.5).
  void evalMatchesTheLvsAndSsplTestsPerSample() {
    const OfficialComparison run = compareWithOfficialTests(
        {{"lvs_best.pth.tar", "lvs", {"ciou_official"}}, {"sspl", "sspl", {"ciou_official"}}});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.output.contains("own rule: lvs\n") && run.output.contains("own rule: sspl\n"),
             qPrintable(run.output));
    QCOMPARE(run.compared, run.expected);
    QVERIFY(run.worst <= 0.005);
  }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_Datasets.moc"
