// Garbage in the dataset layouts: malformed, missing, inverted or far out-of-range boxes, bad
// frame times, huge XML elements, images given as audio, and runs with no usable sample. Each
// bad entry is rejected with a reason that names its file and entry; nothing is scored as empty
// ground truth; a run with nothing usable is an error that writes nothing.
#include <QtTest>

#include "app/cli/DatasetReader.h"
#include "core/AtomicFile.h"
#include "tests/TestFixtures.h"

using namespace heardmap;
using heardmap::test::fixture;

namespace {

// A Flickr folder with one sample whose XML is xml (frame and audio from the fixtures).
std::string flickrWith(const QTemporaryDir& dir, const std::string& xml) {
  const QString root = dir.filePath("flickr");
  QDir().mkpath(root + "/Annotations");
  QDir().mkpath(root + "/frames");
  QDir().mkpath(root + "/audio");
  QFile::copy(fixture("datasets/flickr/frames/f1.jpg"), root + "/frames/s.jpg");
  QFile::copy(fixture("datasets/flickr/audio/f1.wav"), root + "/audio/s.wav");
  writeFileAtomically((root + "/Annotations/s.xml").toStdString(), xml);
  return root.toStdString();
}

std::string box(const std::string& a, const std::string& b, const std::string& c,
                const std::string& d) {
  return "<annotation><object><bbox><xmin>" + a + "</xmin><ymin>" + b + "</ymin><xmax>" + c +
         "</xmax><ymax>" + d + "</ymax></bbox></object></annotation>";
}

// heardmap eval ARGUMENTS.
heardmap::test::CliRun eval(const QStringList& arguments) {
  return heardmap::test::runHeardmap(QStringList{"eval"} + arguments, 120000);
}

}  // namespace

class TestDatasetGarbage : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void badFlickrBoxesAreRejectedWithTheirReason_data() {
    QTest::addColumn<QString>("xml");
    QTest::addColumn<QString>("reason");
    QTest::newRow("inverted") << QString::fromStdString(box("100", "10", "20", "50")) << "inverted";
    QTest::newRow("far outside") << QString::fromStdString(box("0", "0", "9000", "50"))
                                 << "far outside";
    QTest::newRow("not a number") << QString::fromStdString(box("0", "0", "x1", "50"))
                                  << "not a number";
    QTest::newRow("missing ymax") << "<bbox><xmin>0</xmin><ymin>0</ymin><xmax>9</xmax></bbox>"
                                  << "no <ymax>";
    QTest::newRow("no box") << "<annotation></annotation>"
                            << "no <bbox>";
    QTest::newRow("unclosed") << "<bbox><xmin>0</xmin>"
                              << "not closed";
  }

  void badFlickrBoxesAreRejectedWithTheirReason() {
    QFETCH(QString, xml);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const DatasetScan scan = readDataset(flickrWith(dir, xml.toStdString()), DatasetFormat::Flickr);
    QCOMPARE(scan.samples.size(), size_t(0));
    QCOMPARE(scan.rejected, 1);
    const QString why = QString::fromStdString(scan.rejectedExamples.front());
    QVERIFY2(why.contains("s.xml") && why.contains(reason), qPrintable(why));
  }

  // A <bbox> element of 200 kB overflowed std::regex's recursion (SIGSEGV).
  void hugeXmlElementsDoNotCrash() {
    QTemporaryDir dir;
    const std::string filler(200000, ' ');
    const DatasetScan scan = readDataset(flickrWith(dir, "<bbox><xmin>1</xmin>" + filler +
                                                             "<ymin>2</ymin><xmax>30</xmax>"
                                                             "<ymax>40</ymax></bbox>"),
                                         DatasetFormat::Flickr);
    QCOMPARE(scan.samples.size(), size_t(1));
  }

  void badJsonEntriesAreRejected() {
    QTemporaryDir dir;
    const QString root = dir.filePath("folder");
    QDir().mkpath(root);
    QFile::copy(fixture("clip.mp4"), root + "/a.mp4");
    writeFileAtomically((root + "/boxes.json").toStdString(),
                        R"({"a.mp4": [{"time": -10, "boxes": [[0, 0, 1, 1]]},
                                      {"time": 1e308, "boxes": [[0, 0, 1, 1]]},
                                      {"time": 0.5, "boxes": [[0.5, 0.5, 0.2, 0.9]]},
                                      {"time": 0.5, "boxes": []},
                                      {"time": 0.5, "boxes": [[0, 0, 1]]},
                                      {"time": 1.0, "boxes": [[0.1, 0.1, 0.6, 0.6]]}]})");
    const DatasetScan scan = readDataset(root.toStdString(), DatasetFormat::Folder);
    QCOMPARE(scan.rejected, 4);  // -10, empty boxes, inverted, 3 numbers (1e308 is read here)
    QCOMPARE(scan.samples.size(), size_t(2));
    // 1e308 s is past the clip's end: eval skips it by name, and scores the one good entry.
    const auto run = eval({"--data", root, "--format", "folder", "--checkpoint", "untrained",
                           "--out", dir.filePath("out")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.output.contains("4 entries rejected") && run.output.contains("past the end"),
             qPrintable(run.output));
    QVERIFY2(run.output.contains("rejected: " + root + "/boxes.json \"a.mp4\" entry 1: 'time'"),
             qPrintable(run.output));
  }

  // Nothing usable (every file missing, or an image as the audio): an error, no tables written.
  void aRunWithNoUsableSampleIsAnError() {
    QTemporaryDir dir;
    const QString root = dir.filePath("vggss");
    QDir().mkpath(root + "/frames");
    QDir().mkpath(root + "/audio");
    QFile::copy(fixture("datasets/vggss/frames/v1.jpg"), root + "/frames/v1.jpg");
    QFile::copy(fixture("datasets/vggss/frames/v1.jpg"), root + "/audio/v1.wav");  // a picture
    writeFileAtomically((root + "/vggss.json").toStdString(),
                        R"([{"file": "v1", "bbox": [[0.1, 0.1, 0.5, 0.5]]}, {"file": "gone",
                            "bbox": [[0, 0, 1, 1]]}])");
    const auto run =
        eval({"--data", root, "--checkpoint", "untrained", "--out", dir.filePath("out")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains("has no audio track") && run.output.contains("nothing written"),
             qPrintable(run.output));
    QVERIFY(!QFile::exists(dir.filePath("out/results.json")));
  }

  void badNumericFlagsAreErrorsNamingTheFlag() {
    for (const QStringList& flags : {QStringList{"--threshold", "-1"},
                                     {"--threshold", "nan"},
                                     {"--per-condition", "7x"},
                                     {"--gallery", "-3"}}) {
      const auto run = eval(flags);
      QCOMPARE(run.exitCode, 2);
      QVERIFY2(run.output.contains("heardmap eval: " + flags[0]), qPrintable(run.output));
    }
  }
};

QTEST_GUILESS_MAIN(TestDatasetGarbage)
#include "tst_DatasetGarbage.moc"
