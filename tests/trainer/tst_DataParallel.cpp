// Training from shards and over several processes, the way a researcher runs it: heardmap-train
// processes started with the torchrun environment (a shell-loop launcher here, and torchrun itself
// where Debian's python3-torch has it), Gloo on loopback. Two processes with global batch B end
// with the weights of one process with batch B; a rank that dies stops the others with a message;
// a killed run resumes at its step and ends as the run that was never killed; shards round-trip
// through the memory-mapped reader, and a truncated one is refused with its name.
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/Json.h"
#include "core/Safetensors.h"
#include "core/data/EpochOrder.h"
#include "core/data/ShardReader.h"
#include "core/data/Shards.h"
#include "core/ml/DistributedEnvironment.h"
#include "tests/TestFixtures.h"
#include "tests/TinyPack.h"

using namespace heardmap;
namespace fs = std::filesystem;

namespace {

// Frame side of the test shards (the model's 224 input is resized from it on the device).
constexpr int kSizePx = 96;
// Samples of the test shards, and per shard.
constexpr int kSamples = 40;
constexpr int kPerShard = 16;

// A shards folder of kSamples pairs: a coloured disc somewhere on a grey frame, a tone whose pitch
// goes with the colour (so the pairs hold something to learn).
void writeTestShards(const std::string& folder, int audioSamples = 64000) {
  fs::create_directories(folder);
  ShardIndex index;
  index.layout = ShardLayout{kSizePx, 16000, audioSamples, kPerShard};
  index.source = "tst_DataParallel";
  for (int first = 0, n = 0; first < kSamples; first += kPerShard, ++n) {
    ShardData data;
    for (int i = first; i < std::min(kSamples, first + kPerShard); ++i) {
      data.ids.push_back("s" + std::to_string(i));
      const int cx = 20 + (i * 37) % 56;
      const int cy = 20 + (i * 53) % 56;
      for (int y = 0; y < kSizePx; ++y) {
        for (int x = 0; x < kSizePx; ++x) {
          const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 144;
          data.frames.push_back(inside ? static_cast<uint8_t>(40 * (i % 6)) : 128);
          data.frames.push_back(inside ? static_cast<uint8_t>(250 - 40 * (i % 6)) : 128);
          data.frames.push_back(128);
        }
      }
      for (int s = 0; s < index.layout.audioSamples; ++s) {
        data.audio.push_back(
            static_cast<int16_t>(12000 * std::sin(2 * M_PI * (220 + 110 * (i % 6)) * s / 16000.0)));
      }
    }
    const std::string file = shardFileName(n);
    writeShard(folder + "/" + file, index.layout, data);
    index.shards.push_back({file, static_cast<int>(data.count())});
  }
  index.scanned = index.planned = kSamples;
  index.complete = true;
  index.save(folder);
}

// A free-looking loopback port per test run and launch (no two launches share one).
int nextPort() {
  static int launches = 0;
  return 20000 + static_cast<int>(QCoreApplication::applicationPid() % 20000) + 97 * launches++;
}

// Starts heardmap-train as rank `rank` of `world` (world 1: alone, without the variables).
QProcess* startTrainer(QObject* parent, const QStringList& arguments, int rank, int world,
                       int port) {
  auto* process = new QProcess(parent);
  process->setProcessChannelMode(QProcess::MergedChannels);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  if (world > 1) {
    env.insert("RANK", QString::number(rank));
    env.insert("LOCAL_RANK", QString::number(rank));
    env.insert("WORLD_SIZE", QString::number(world));
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(port));
  }
  process->setProcessEnvironment(env);
  process->start(qEnvironmentVariable("HEARDMAP_TRAINER"), arguments);
  process->waitForStarted();
  return process;
}

struct GroupRun {
  std::vector<int> exitCodes;
  std::vector<QString> outputs;
};

// Runs one training of `world` processes to the end (on another port when rank 0 found its
// port taken by some other program).
GroupRun runGroup(const QStringList& arguments, int world) {
  GroupRun run;
  for (int attempt = 0; attempt < 3; ++attempt) {
    QObject owner;
    const int port = nextPort();
    std::vector<QProcess*> ranks;
    for (int r = 0; r < world; ++r) {
      ranks.push_back(startTrainer(&owner, arguments, r, world, port));
    }
    run = GroupRun{};
    for (QProcess* p : ranks) {
      p->waitForFinished(240000);
      run.exitCodes.push_back(p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1);
      run.outputs.push_back(QString::fromUtf8(p->readAll()));
    }
    if (!run.outputs[0].contains("Address already in use")) {
      break;
    }
  }
  return run;
}

// Reads rank 0's output until it shows `text` (true), ends, or two minutes pass.
bool waitForOutput(QProcess* process, const QString& text, QString& seen) {
  QDeadlineTimer deadline(120000);
  while (!seen.contains(text) && !deadline.hasExpired() && process->state() == QProcess::Running) {
    process->waitForReadyRead(500);
    seen += QString::fromUtf8(process->readAll());
  }
  return seen.contains(text);
}

// The float tensors of a checkpoint.
std::map<std::string, std::vector<float>> weightsOf(const std::string& path) {
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, tensor] : loadSafetensors(path).tensors) {
    out[name] = tensor.toFloat();
  }
  return out;
}

double largestDifference(const std::string& a, const std::string& b) {
  const auto left = weightsOf(a);
  const auto right = weightsOf(b);
  double worst = 0.0;
  for (const auto& [name, values] : left) {
    const std::vector<float>& other = right.at(name);
    for (size_t i = 0; i < values.size(); ++i) {
      worst = std::max(worst, std::fabs(static_cast<double>(values[i]) - other[i]));
    }
  }
  return worst;
}

}  // namespace

class TestDataParallel : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string shards_;
  std::string pack_;

  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  // heardmap-train's flags for a short run from the test shards. Frozen trunks keep batch norm
  // in eval mode: each process normalises by its own part of the batch otherwise (as the
  // official DDP scripts do), which one process with the whole batch cannot match.
  QStringList trainArguments(const std::string& out, int steps) const {
    return {"--pack",
            QString::fromStdString(pack_),
            "--shards",
            QString::fromStdString(shards_),
            "--out",
            QString::fromStdString(out),
            "--steps",
            QString::number(steps),
            "--batch",
            "8",
            "--threads",
            "1",
            "--eval-per-condition",
            "1",
            "--checkpoint-every",
            "1",
            "--freeze-trunks",
            "1000",
            "--lr",
            "1e-3",
            "--collective-timeout",
            "60"};  // a test never waits the default half hour for a lost rank
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(qEnvironmentVariable("HEARDMAP_TRAINER")).isExecutable(),
             "HEARDMAP_TRAINER must name the built heardmap-train");
    shards_ = path("shards");
    pack_ = path("pack.safetensors");
    writeTestShards(shards_);
    heardmap::test::tinyPack().save(pack_);
  }

  void shardsRoundTripThroughTheMappedReader() {
    const ShardReader reader(shards_);
    QCOMPARE(reader.sampleCount(), int64_t(kSamples));
    QCOMPARE(reader.index().shards.size(), size_t(3));
    // Sample 21 is the sixth of the second shard: the reader's bytes are what was written.
    const ShardData second = readShard(shards_ + "/" + shardFileName(1), reader.layout());
    const int64_t frame = reader.frameBytes();
    QVERIFY(
        std::equal(reader.frame(21), reader.frame(21) + frame, second.frames.data() + 5 * frame));
    QVERIFY(std::memcmp(reader.audio(21), second.audio.data() + 5 * 64000, 64000 * 2) == 0);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, reader.frame(kSamples));
  }

  void aTruncatedShardIsRefusedWithItsName() {
    const std::string broken = path("broken");
    writeTestShards(broken);
    const std::string victim = broken + "/" + shardFileName(2);
    fs::resize_file(victim, fs::file_size(victim) - 1000);
    try {
      const ShardReader reader(broken);
      QFAIL("a truncated shard was read");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("shard-00002.safetensors"), e.what());
    }
    QStringList arguments = trainArguments(path("never.safetensors"), 2);
    arguments[arguments.indexOf("--shards") + 1] = QString::fromStdString(broken);
    const GroupRun run = runGroup(arguments, 1);
    QCOMPARE(run.exitCodes[0], 1);
    QVERIFY2(run.outputs[0].contains("shard-00002.safetensors"), qPrintable(run.outputs[0]));
    QVERIFY(!fs::exists(path("never.safetensors")));
  }

  // Shards whose audio is shorter than the model's 3 s window are refused, not padded.
  void audioShorterThanTheWindowIsRefused() {
    const std::string shortAudio = path("short");
    writeTestShards(shortAudio, 16000);
    QStringList arguments = trainArguments(path("never-short.safetensors"), 2);
    arguments[arguments.indexOf("--shards") + 1] = QString::fromStdString(shortAudio);
    const GroupRun run = runGroup(arguments, 1);
    QCOMPARE(run.exitCodes[0], 1);
    QVERIFY2(run.outputs[0].contains("16000-sample audio") &&
                 run.outputs[0].contains("longer --seconds"),
             qPrintable(run.outputs[0]));
  }

  // Every epoch is a permutation; each global batch is the ranks' parts side by side.
  void epochsShuffleAndRanksSplitTheGlobalBatch() {
    const EpochOrder order(kSamples, 8, 7);
    QCOMPARE(order.stepsPerEpoch(), int64_t(5));
    std::vector<int64_t> seen;
    for (int64_t step = 0; step < 5; ++step) {
      std::vector<int64_t> whole = order.samplesFor(step, 0, 1);
      std::vector<int64_t> parts = order.samplesFor(step, 0, 2);
      const std::vector<int64_t> second = order.samplesFor(step, 1, 2);
      parts.insert(parts.end(), second.begin(), second.end());
      QCOMPARE(parts, whole);
      seen.insert(seen.end(), whole.begin(), whole.end());
    }
    std::sort(seen.begin(), seen.end());
    QCOMPARE(std::adjacent_find(seen.begin(), seen.end()), seen.end());  // no sample twice
    QVERIFY(order.permutation(0) != order.permutation(1));
    QCOMPARE(EpochOrder(kSamples, 8, 7).permutation(3), order.permutation(3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, order.samplesFor(0, 0, 3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EpochOrder(5, 8, 7));
  }

  void theEnvironmentIsReadAsTorchrunSetsIt() {
    const auto from = [](std::map<std::string, std::string> vars) {
      return DistributedEnvironment::fromEnvironment([vars](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
      });
    };
    QVERIFY(!from({}).distributed());
    const DistributedEnvironment env = from({{"RANK", "3"},
                                             {"WORLD_SIZE", "4"},
                                             {"LOCAL_RANK", "1"},
                                             {"MASTER_ADDR", "10.0.0.1"},
                                             {"MASTER_PORT", "29500"},
                                             {"TORCHELASTIC_USE_AGENT_STORE", "True"}});
    QCOMPARE(env.rank, 3);
    QCOMPARE(env.localRank, 1);
    QVERIFY(env.agentStore);
    QCOMPARE(QString::fromStdString(env.summary()),
             QString("rank 3 of 4 (local 1), rendezvous 10.0.0.1:29500"));
    const auto message = [&](std::map<std::string, std::string> vars) {
      try {
        from(vars);
      } catch (const std::invalid_argument& e) {
        return QString(e.what());
      }
      return QString();
    };
    QVERIFY(message({{"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}})
                .startsWith("RANK is not set"));
    QVERIFY(
        message({{"WORLD_SIZE", "2"}, {"RANK", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}})
            .startsWith("RANK=2 is not an integer in [0, 1]"));
    QVERIFY(message({{"WORLD_SIZE", "two"}}).startsWith("WORLD_SIZE=two"));
    QVERIFY(message({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_PORT", "1"}})
                .startsWith("MASTER_ADDR is not set"));
  }

  // The oracle: 2 processes x 4 = 1 process x 8, step for step, to float tolerance; and
  // the gathered negatives matter (each process contrasting only its own 4 ends elsewhere).
  void twoProcessesTrainAsOneWithTheWholeBatch() {
    const std::string one = path("one.safetensors");
    const std::string two = path("two.safetensors");
    const std::string local = path("local.safetensors");
    const GroupRun alone = runGroup(trainArguments(one, 4), 1);
    QCOMPARE(alone.exitCodes[0], 0);
    const GroupRun pair = runGroup(trainArguments(two, 4), 2);
    QCOMPARE(pair.exitCodes, (std::vector<int>{0, 0}));
    QVERIFY2(pair.outputs[0].contains("step 4/4") && pair.outputs[0].contains("2 processes"),
             qPrintable(pair.outputs[0]));
    QVERIFY2(pair.outputs[1].contains("rank 1 of 2") && !pair.outputs[1].contains("step 4/4"),
             qPrintable(pair.outputs[1]));  // rank 0 alone reports
    const double difference = largestDifference(one, two);
    QVERIFY2(difference < 1e-5, qPrintable(QString::number(difference)));
    QStringList localArguments = trainArguments(local, 4);
    localArguments << "--negatives"
                   << "local";
    QCOMPARE(runGroup(localArguments, 2).exitCodes, (std::vector<int>{0, 0}));
    const double apart = largestDifference(one, local);
    QVERIFY2(apart > 1e-4, qPrintable(QString::number(apart)));
    const Json training = Json::parse(loadSafetensors(two).metadata.at("training"));
    QCOMPARE(training.at("world_size").asInt(), int64_t(2));
    QCOMPARE(training.at("backend").asString(), std::string("gloo"));
  }

  void aRankThatDiesStopsTheOthers() {
    QObject owner;
    const int port = nextPort();
    const QStringList arguments = trainArguments(path("dies.safetensors"), 100000);
    QProcess* first = startTrainer(&owner, arguments, 0, 2, port);
    QProcess* second = startTrainer(&owner, arguments, 1, 2, port);
    QString seen;
    // Progress every 10 steps for a run this long.
    QVERIFY2(waitForOutput(first, "step 10/", seen), qPrintable(seen));
    second->kill();  // SIGKILL: no goodbye
    second->waitForFinished();
    QVERIFY2(first->waitForFinished(60000), "rank 0 hung after rank 1 died");
    seen += QString::fromUtf8(first->readAll());
    QCOMPARE(first->exitCode(), 1);
    QVERIFY2(seen.contains("another process of the run died"), qPrintable(seen));
    QVERIFY(fs::exists(path("dies.safetensors")));  // the last checkpoint stays
  }

  // Both ranks killed mid-run; the same command with --resume ends with the weights of a run
  // that was never killed.
  void aKilledRunResumesAtItsStep() {
    const std::string straight = path("straight.safetensors");
    const std::string killed = path("killed.safetensors");
    QCOMPARE(runGroup(trainArguments(straight, 6), 2).exitCodes, (std::vector<int>{0, 0}));
    {
      QObject owner;
      const int port = nextPort();
      QProcess* first = startTrainer(&owner, trainArguments(killed, 6), 0, 2, port);
      QProcess* second = startTrainer(&owner, trainArguments(killed, 6), 1, 2, port);
      QString seen;
      QVERIFY2(waitForOutput(first, "step 3/", seen), qPrintable(seen));
      first->kill();
      second->kill();
      first->waitForFinished();
      second->waitForFinished();
    }
    const Json before = Json::parse(loadSafetensors(killed).metadata.at("training"));
    const int64_t savedAt = before.at("steps_done").asInt();
    QVERIFY2(savedAt >= 2 && savedAt < 6, qPrintable(QString::number(savedAt)));
    QStringList resume = trainArguments(killed, 6);
    resume << "--resume";
    const GroupRun resumed = runGroup(resume, 2);
    QCOMPARE(resumed.exitCodes, (std::vector<int>{0, 0}));
    QVERIFY2(!resumed.outputs[0].contains("step 1/6"), qPrintable(resumed.outputs[0]));
    const double difference = largestDifference(straight, killed);
    QVERIFY2(difference < 1e-5, qPrintable(QString::number(difference)));
  }

  // A rank that does not see rank 0's checkpoint (another machine without it) would start over:
  // both ranks refuse to train instead, and say why.
  void ranksThatStartDifferentlyAreRefused() {
    const std::string out = path("uneven.safetensors");
    QCOMPARE(runGroup(trainArguments(out, 2), 1).exitCodes, (std::vector<int>{0}));
    QStringList resume = trainArguments(out, 4);
    resume << "--resume";
    QStringList elsewhere = trainArguments(path("uneven-elsewhere.safetensors"), 4);
    elsewhere << "--resume";
    QObject owner;
    const int port = nextPort();
    QProcess* first = startTrainer(&owner, resume, 0, 2, port);
    QProcess* second = startTrainer(&owner, elsewhere, 1, 2, port);
    QVERIFY(first->waitForFinished(120000) && second->waitForFinished(120000));
    const QString said = QString::fromUtf8(first->readAll() + second->readAll());
    QCOMPARE(first->exitCode(), 1);
    QCOMPARE(second->exitCode(), 1);
    QVERIFY2(said.contains("rank 1 starts at step 0, rank 0 starts at step 2") &&
                 said.contains("rank 0 starts at step 2, another rank does not"),
             qPrintable(said));
    QVERIFY(!fs::exists(path("uneven-elsewhere.safetensors")));
  }

  // torchrun itself (Debian's python3-torch): its agent serves the store, the ranks join it.
  // Both spellings: with --no_python, and as the issue writes it, where torchrun starts
  // `python -u heardmap-train ...` and the launcher appended to the binary takes over.
  void torchrunStartsTheGroup() {
    const QString torchrun = QStandardPaths::findExecutable("torchrun");
    if (torchrun.isEmpty()) {
      QSKIP("no torchrun on PATH (python3-torch)");
    }
    for (const bool noPython : {true, false}) {
      const std::string out = path(noPython ? "torchrun.safetensors" : "torchrun-py.safetensors");
      QProcess process;
      process.setProcessChannelMode(QProcess::MergedChannels);
      // --redirects 1 --tee 1: Debian's torchrun 1.13 under Python 3.11 fails on the default "0".
      QStringList arguments{"--nproc_per_node", "2", "--master_port", QString::number(nextPort()),
                            "--redirects",      "1", "--tee",         "1"};
      if (noPython) {
        arguments << "--no_python";
      }
      process.start(torchrun, arguments + QStringList{qEnvironmentVariable("HEARDMAP_TRAINER")} +
                                  trainArguments(out, 2));
      QVERIFY(process.waitForFinished(240000));
      const QString output = QString::fromUtf8(process.readAll());
      QVERIFY2(process.exitCode() == 0, qPrintable(output.right(3000)));
      QVERIFY2(output.contains("2 processes (gloo)"), qPrintable(output.right(3000)));
      QVERIFY(fs::exists(out));
    }
  }
};

QTEST_GUILESS_MAIN(TestDataParallel)
#include "tst_DataParallel.moc"
