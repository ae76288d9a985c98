#include "TrainerProcess.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include "core/eval/TrainerProgress.h"
#include "core/ml/TrainingConfig.h"

namespace heardmap {
namespace {

// How long a stopping trainer may take to save before it is killed.
constexpr int kStopGraceMs = 15000;
// How long the other ranks of a finished run may take to exit before they are killed.
constexpr int kPeerExitMs = 5000;

// A loopback port no one listens on now (the kernel's choice), for rank 0's TCP store.
int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 29500;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) {
    ::close(fd);
  }
  return port;
}

// The environment torchrun gives rank `rank` of `world` on this machine.
QProcessEnvironment rankEnvironment(int rank, int world, int port) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("RANK", QString::number(rank));
  env.insert("LOCAL_RANK", QString::number(rank));
  env.insert("WORLD_SIZE", QString::number(world));
  env.insert("LOCAL_WORLD_SIZE", QString::number(world));
  env.insert("MASTER_ADDR", "127.0.0.1");
  env.insert("MASTER_PORT", QString::number(port));
  return env;
}

}  // namespace

TrainerProcess::TrainerProcess(QObject* parent) : QObject(parent) {
  process_.setProcessChannelMode(QProcess::SeparateChannels);
  connect(&process_, &QProcess::readyReadStandardOutput, this, &TrainerProcess::readOutput);
  connect(&process_, &QProcess::readyReadStandardError, this, [this] {
    const QString text = QString::fromUtf8(process_.readAllStandardError()).trimmed();
    if (!text.isEmpty()) {
      lastError_ = text.section('\n', -1);
      Q_EMIT logLine(text);
    }
  });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
      Q_EMIT finished(false, QString(),
                      tr("cannot start %1: %2").arg(trainerBinary(), process_.errorString()));
    }
  });
  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    readOutput();
    if (preparing_) {
      preparing_ = false;
      if (stopping_ || status != QProcess::NormalExit || code != 0 ||
          !QFileInfo::exists(request_.clipsPath)) {
        stopping_ = false;
        Q_EMIT finished(
            false, QString(),
            tr("could not make training pairs from %1: %2")
                .arg(request_.videoFolder, lastError_.isEmpty() ? tr("stopped") : lastError_));
        return;
      }
      startTrainer();
      return;
    }
    progressLog_.close();
    endPeers();
    const bool saved = QFileInfo::exists(request_.outputPath);
    if (status == QProcess::CrashExit && !stopping_) {
      Q_EMIT finished(false, saved ? request_.outputPath : QString(),
                      tr("the trainer crashed (%1)%2")
                          .arg(lastError_.isEmpty() ? tr("no message") : lastError_)
                          .arg(saved ? tr("; its last checkpoint is kept") : QString()));
    } else if (code == 0 && saved) {
      Q_EMIT finished(true, request_.outputPath,
                      stopping_ ? tr("stopped; checkpoint saved") : tr("done"));
    } else if (code == 3) {
      Q_EMIT finished(saved, saved ? request_.outputPath : QString(),
                      tr("stopped: the loss or the weights became NaN/Inf; the last good "
                         "checkpoint is kept"));
    } else {
      Q_EMIT finished(false, saved ? request_.outputPath : QString(),
                      tr("the trainer failed (exit %1): %2").arg(code).arg(lastError_));
    }
    stopping_ = false;
  });
}

TrainerProcess::~TrainerProcess() {
  for (const std::unique_ptr<QProcess>& peer : peers_) {
    peer->kill();
    peer->waitForFinished(3000);
  }
  if (isRunning()) {
    process_.kill();
    process_.waitForFinished(3000);
  }
}

QString TrainerProcess::trainerBinary() {
  const QString fromEnv = qEnvironmentVariable("HEARDMAP_TRAINER");
  if (!fromEnv.isEmpty()) {
    return fromEnv;
  }
  return QCoreApplication::applicationDirPath() + "/heardmap-train";
}

QString TrainerProcess::appBinary() {
  const QString fromEnv = qEnvironmentVariable("HEARDMAP_BINARY");
  if (!fromEnv.isEmpty()) {
    return fromEnv;
  }
  return QCoreApplication::applicationDirPath() + "/heardmap";
}

QStringList TrainerProcess::arguments(const TrainerRequest& r) {
  // The pane's choices as the trainer's own config, written by its one writer.
  TrainingConfig c;
  c.method = r.method.toStdString();
  c.packPath = r.packPath.toStdString();
  c.outputPath = r.outputPath.toStdString();
  c.steps = r.steps;
  c.batchSize = r.batch;
  c.learningRate = r.learningRate;
  c.threads = r.threads;
  c.evalEvery = r.evalEvery;
  c.evalPerCondition = r.evalPerCondition;
  c.checkpointEvery = std::max(10, r.evalEvery);
  c.progress = ProgressFormat::JsonLines;
  if (!r.basePath.isEmpty()) {
    c.initPath = r.basePath.toStdString();
    c.freezeTrunkSteps = r.freezeTrunkSteps;  // a base keeps its size and padding
  } else {
    c.variant = r.variant.toStdString();
    c.imagePadding = r.imagePadding.toStdString();
  }
  if (!r.shardsFolder.isEmpty()) {
    c.shardsPath = r.shardsFolder.toStdString();
    c.epochs = r.epochs;
  } else if (!r.videoFolder.isEmpty()) {
    c.clipsPath = r.clipsPath.toStdString();
  }
  // Each method's own settings (the others keep the trainer's defaults).
  if (r.method == "marginnce") {
    c.margin = r.margin;
  } else if (r.method == "fnac") {
    c.fnacLambdaGiven = r.fnacLambda >= 0;  // else 100 x batch / 256
    c.fnacLambda = c.fnacLambdaGiven ? r.fnacLambda : c.fnacLambda;
    c.warmupSteps = r.warmupSteps;
  } else if (r.method == "sslsan") {
    c.negativeRatio = r.sanRatio;
  }
  QStringList args;
  for (const std::string& a : c.toArguments()) {
    args << QString::fromStdString(a);
  }
  return args;
}

bool TrainerProcess::start(const TrainerRequest& request) {
  if (isRunning()) {
    return false;
  }
  request_ = request;
  pending_.clear();
  lastError_.clear();
  stopping_ = false;
  if (!QFileInfo(trainerBinary()).isExecutable()) {
    Q_EMIT finished(false, QString(), tr("trainer not found: %1").arg(trainerBinary()));
    return false;
  }
  if (!request.videoFolder.isEmpty() && request.shardsFolder.isEmpty()) {
    // Pairs from the user's videos first (the trainer has no FFmpeg), then the trainer.
    const QStringList args{"data",  "clips",          "--videos", request.videoFolder,
                           "--out", request.clipsPath};
    Q_EMIT logLine(appBinary() + " " + args.join(' '));
    preparing_ = true;
    process_.start(appBinary(), args);
    return true;
  }
  startTrainer();
  return true;
}

void TrainerProcess::startTrainer() {
  Q_EMIT logLine(trainerBinary() + " " + arguments(request_).join(' '));
  // The run's progress beside its checkpoint (appended: a resumed run continues it), for
  // `heardmap curves` to draw or compare later.
  progressLog_.setFileName(progressLogPath(request_.outputPath));
  if (!progressLog_.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
    Q_EMIT logLine(tr("cannot keep the progress log %1: %2")
                       .arg(progressLog_.fileName(), progressLog_.errorString()));
  }
  if (request_.processes > 1) {
    const int port = freeLoopbackPort();
    QProcessEnvironment env = rankEnvironment(0, request_.processes, port);
    process_.setProcessEnvironment(env);
    startPeers(port);
  } else {
    process_.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
  }
  process_.start(trainerBinary(), arguments(request_));
}

void TrainerProcess::startPeers(int port) {
  for (int rank = 1; rank < request_.processes; ++rank) {
    auto peer = std::make_unique<QProcess>();
    peer->setProcessChannelMode(QProcess::MergedChannels);
    peer->setProcessEnvironment(rankEnvironment(rank, request_.processes, port));
    QProcess* raw = peer.get();
    connect(raw, &QProcess::readyRead, this, [this, raw, rank] {
      const QString text = QString::fromUtf8(raw->readAll()).trimmed();
      if (!text.isEmpty()) {
        Q_EMIT logLine(tr("rank %1: %2").arg(rank).arg(text));
      }
    });
    peer->start(trainerBinary(), arguments(request_));
    peers_.push_back(std::move(peer));
  }
}

void TrainerProcess::endPeers() {
  for (const std::unique_ptr<QProcess>& peer : peers_) {
    // They stop on their own once rank 0 is gone (their next collective fails).
    if (peer->state() != QProcess::NotRunning && !peer->waitForFinished(kPeerExitMs)) {
      peer->kill();
      peer->waitForFinished(kPeerExitMs);
    }
  }
  peers_.clear();
}

QString TrainerProcess::progressLogPath(const QString& checkpointPath) {
  return checkpointPath + ".log";
}

void TrainerProcess::stop() {
  if (!isRunning()) {
    return;
  }
  stopping_ = true;
  process_.terminate();  // SIGTERM: the trainer finishes its step and saves
  for (const std::unique_ptr<QProcess>& peer : peers_) {
    peer->terminate();  // every rank votes to stop at the same step
  }
  QTimer::singleShot(kStopGraceMs, this, [this] {
    if (isRunning() && stopping_) {
      process_.kill();
    }
  });
}

void TrainerProcess::readOutput() {
  pending_ += process_.readAllStandardOutput();
  int newline = 0;
  while ((newline = pending_.indexOf('\n')) >= 0) {
    const QByteArray line = pending_.left(newline).trimmed();
    pending_.remove(0, newline + 1);
    if (line.isEmpty()) {
      continue;
    }
    if (progressLog_.isOpen()) {
      progressLog_.write(line + '\n');
      progressLog_.flush();
    }
    const std::optional<ProgressRecord> record = parseProgressLine(line.toStdString());
    if (const auto* step = record ? std::get_if<StepProgress>(&*record) : nullptr) {
      Q_EMIT stepReported(static_cast<int>(step->step), static_cast<int>(step->steps), step->loss,
                          step->samplesPerSecond, step->remainingSeconds, step->worldSize,
                          static_cast<int>(step->epoch), static_cast<int>(step->epochs));
    } else if (const auto* eval = record ? std::get_if<EvalProgress>(&*record) : nullptr) {
      Q_EMIT evalReported(static_cast<int>(eval->step), eval->ciou50(), eval->auc(),
                          eval->silenceMaxScore());
      Q_EMIT logLine(QString::fromUtf8(line));
    } else {
      Q_EMIT logLine(QString::fromUtf8(line));
    }
  }
}

}  // namespace heardmap
