// `heardmap data pack` on a miniature stamp tree, and `heardmap data export` of its scenes.
#include <QtTest>

#include "../TestFixtures.h"
#include "app/cli/AssetPackBuilder.h"
#include "core/data/AssetPack.h"

using namespace heardmap;
using heardmap::test::fixture;

class TestDataCommands : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void builderKeepsObjectSoundsAndSkipsSpeech() {
    PackSources sources;
    sources.stampRoot = fixture("stamps").toStdString();
    sources.backgroundRoots = {fixture("backgrounds").toStdString(), "/nonexistent"};
    PackReport report;
    const AssetPack pack = buildAssetPack(sources, report, [](int, int) {});
    QCOMPARE(report.soundingObjects,
             2);  // cat (.ogg) and dog (.wav); not "one" (speech), not the cartoon
    QCOMPARE(report.silentObjects, 1);  // box
    QCOMPARE(report.backgrounds, 2);
    QCOMPARE(report.skipped, 0);
    const auto cat = std::find_if(pack.objects.begin(), pack.objects.end(),
                                  [](const PackObject& o) { return o.name == "cat"; });
    QVERIFY(cat != pack.objects.end());
    QCOMPARE(cat->description, std::string("A cat."));
    QVERIFY(std::abs(static_cast<int>(cat->sound.size()) - 12800) <
            400);  // 0.8 s at 16 kHz, not the _desc file
    // Transparent borders are trimmed: the 32 px disc, not the 64x48 canvas.
    QVERIFY(std::abs(cat->image.width - 32) <= 2);
    QVERIFY(std::abs(cat->image.height - 32) <= 2);
    QCOMPARE(pack.backgrounds[0].image.width, 320);
    QCOMPARE(pack.backgrounds[0].image.height, 240);
  }

  void packAndExportFromTheCommandLine() {
    QTemporaryDir dir;
    const QString packPath = dir.filePath("pack.safetensors");
    QProcess pack;
    pack.setProcessChannelMode(QProcess::MergedChannels);
    pack.start(qEnvironmentVariable("HEARDMAP_BINARY"),
               {"data", "pack", "--out", packPath, "--stamps", fixture("stamps")});
    QVERIFY(pack.waitForFinished(60000));
    const QString packOutput = QString::fromUtf8(pack.readAll());
    // Two sounding objects are too few for a benchmark: the pack is written, the exit code says so.
    QVERIFY2(packOutput.contains("2 sounding objects"), qPrintable(packOutput));
    QCOMPARE(pack.exitCode(), 1);
    QVERIFY(QFileInfo::exists(packPath));

    // Export needs a test split with 2 sounding objects; build one by hand from the same pack.
    AssetPack loaded = AssetPack::load(packPath.toStdString());
    for (PackObject& o : loaded.objects) {
      o.split = Split::Test;
    }
    for (PackBackground& b : loaded.backgrounds) {
      b.split = Split::Test;
    }
    loaded.save(packPath.toStdString());
    QProcess exporter;
    exporter.setProcessChannelMode(QProcess::MergedChannels);
    const QString out = dir.filePath("scenes");
    exporter.start(qEnvironmentVariable("HEARDMAP_BINARY"),
                   {"data", "export", "--pack", packPath, "--out", out, "--per-condition", "2",
                    "--size", "96", "--contact-sheet", dir.filePath("sheet.png")});
    QVERIFY(exporter.waitForFinished(60000));
    QVERIFY2(exporter.exitCode() == 0, exporter.readAll().constData());
    QCOMPARE(QDir(out).entryList({"*.png"}).size(), 10);
    QCOMPARE(QDir(out).entryList({"*.wav"}).size(), 10);
    QFile meta(out + "/positive_0.json");
    QVERIFY(meta.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(meta.readAll()).object();
    QCOMPARE(json["condition"].toString(), QString("positive"));
    QVERIFY(json["objects"].toArray().size() >= 2);
    QVERIFY(QFileInfo(dir.filePath("sheet.png")).size() > 1000);

    // The synthetic benchmark on this pack: one row per condition, every number finite.
    QProcess eval;
    eval.setProcessChannelMode(QProcess::MergedChannels);
    eval.start(qEnvironmentVariable("HEARDMAP_BINARY"),
               {"eval", "--pack", packPath, "--per-condition", "3", "--checkpoint", "untrained",
                "--out", dir.filePath("eval")});
    QVERIFY(eval.waitForFinished(120000));
    const QString evalOutput = QString::fromUtf8(eval.readAll());
    QVERIFY2(eval.exitCode() == 0, qPrintable(evalOutput));
    QVERIFY(evalOutput.contains("| SLAVC AP |") || evalOutput.contains("SLAVC AP"));
    QFile csv(dir.filePath("eval/results.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    for (const char* condition : {"positive", "multisource", "silence", "noise", "offscreen"}) {
      QVERIFY(lines.filter(QString(",%1,3,").arg(condition)).size() == 1);
    }
    QVERIFY(!lines.join(',').contains("nan"));
    QVERIFY(QFileInfo(dir.filePath("eval/success_curves.png")).size() > 1000);
  }
};

QTEST_GUILESS_MAIN(TestDataCommands)
#include "tst_DataCommands.moc"
