#include "TrainerPane.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>

#include "TrainerPanel.h"
#include "TrainerProcess.h"

namespace heardmap {

TrainerPane::TrainerPane(QWidget* dialogParent)
    : QObject(dialogParent),
      dialogParent_(dialogParent),
      panel_(new TrainerPanel(dialogParent)),
      process_(new TrainerProcess(this)) {
  // The benchmark pack the build makes (build/data) next to build/bin.
  const QString pack = QDir(QCoreApplication::applicationDirPath() + "/../data")
                           .absoluteFilePath("asset-pack.safetensors");
  if (QFileInfo::exists(pack)) {
    panel_->setPackPath(pack);
  }

  connect(panel_, &TrainerPanel::startClicked, this, &TrainerPane::start);
  connect(panel_, &TrainerPanel::stopClicked, process_, &TrainerProcess::stop);
  connect(panel_, &TrainerPanel::chooseBaseClicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Base checkpoint"), QString(),
        tr("Checkpoints (*.safetensors *.pth *.pt *.pth.tar *.tar);;All files (*)"));
    if (!path.isEmpty()) {
      panel_->setBasePath(path);
    }
  });
  connect(panel_, &TrainerPanel::chooseVideosClicked, this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(dialogParent_, tr("Folder of videos"));
    if (!folder.isEmpty()) {
      panel_->setVideoFolder(folder);
    }
  });
  connect(panel_, &TrainerPanel::chooseShardsClicked, this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(
        dialogParent_, tr("Shards folder (made by heardmap data shards)"));
    if (!folder.isEmpty()) {
      panel_->setShardsFolder(folder);
    }
  });
  connect(panel_, &TrainerPanel::compareClicked, this, &TrainerPane::compareRequested);
  connect(panel_, &TrainerPanel::loadClicked, this, &TrainerPane::loadRequested);
  connect(process_, &TrainerProcess::stepReported, panel_, &TrainerPanel::addStep);
  connect(process_, &TrainerProcess::evalReported, panel_, &TrainerPanel::addEval);
  connect(process_, &TrainerProcess::logLine, panel_, &TrainerPanel::appendLog);
  connect(process_, &TrainerProcess::finished, this,
          [this](bool ok, const QString& path, const QString& message) {
            panel_->setRunning(false);
            panel_->setStatus(message);
            Q_EMIT this->message(tr("Training: %1").arg(message));
            if (!path.isEmpty()) {
              const TrainerRequest r = panel_->request();
              panel_->addCheckpoint(path, ok ? r.method : r.method + tr(" (partial)"));
            }
          });
}

bool TrainerPane::start() {
  TrainerRequest request = panel_->request();
  if (request.packPath.isEmpty() || !QFileInfo::exists(request.packPath)) {
    Q_EMIT error(
        tr("The trainer needs the benchmark asset pack (build/data/asset-pack.safetensors, "
           "or `heardmap data pack --out FILE`)"));
    return false;
  }
  const QString folder =
      QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/checkpoints";
  if (!QDir().mkpath(folder)) {
    Q_EMIT error(tr("Cannot create %1").arg(folder));
    return false;
  }
  const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
  request.outputPath = folder + QStringLiteral("/%1-%2.safetensors").arg(request.method, stamp);
  if (!request.shardsFolder.isEmpty()) {
    if (!QFileInfo::exists(request.shardsFolder + "/index.json")) {
      Q_EMIT error(tr("%1 holds no shards (no index.json): make them with `heardmap data shards "
                      "--data DATASET --out %1`")
                       .arg(request.shardsFolder));
      return false;
    }
  } else if (!request.videoFolder.isEmpty()) {
    if (!QFileInfo(request.videoFolder).isDir()) {
      Q_EMIT error(tr("No such folder of videos: %1").arg(request.videoFolder));
      return false;
    }
    request.clipsPath = folder + QStringLiteral("/clips-%1.safetensors").arg(stamp);
  }
  panel_->clearCurves();
  if (!process_->start(request)) {
    return false;
  }
  panel_->setRunning(true);
  panel_->setStatus(tr("starting %1...").arg(request.method));
  return true;
}

}  // namespace heardmap
