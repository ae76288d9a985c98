#include "TrainerProcess.h"

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
  if (!r.videoFolder.isEmpty()) {
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
  if (!request.videoFolder.isEmpty()) {
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
  process_.start(trainerBinary(), arguments(request_));
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
                          step->samplesPerSecond, step->remainingSeconds);
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
