#include "ExportRunner.h"

#include <QFileInfo>
#include <QProgressDialog>
#include <algorithm>

namespace heardmap {

ExportOutcome runGridExport(QWidget* parent, const GridExportOptions& options, BackgroundJob& job) {
  const QString name = QFileInfo(QString::fromStdString(options.outputPath)).fileName();
  QProgressDialog progress(QObject::tr("Exporting %1...").arg(name), QObject::tr("Cancel"), 0, 100,
                           parent);
  progress.setObjectName("exportProgress");
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(0);
  QObject::connect(&progress, &QProgressDialog::canceled, &job, &BackgroundJob::cancel);
  QObject::connect(&job, &BackgroundJob::progress, &progress, [&](int done, int total) {
    progress.setValue(std::min(99, done * 100 / std::max(1, total)));
    progress.setLabelText(
        QObject::tr("Exporting %1: frame %2 of %3").arg(name).arg(done).arg(total));
  });
  ExportOutcome outcome;
  QObject::connect(&job, &BackgroundJob::finished, &progress,
                   [&](const QString& error) { outcome.error = error; });
  const bool started =
      job.start([&](const BackgroundJob::Report& report, const std::atomic<bool>& cancel) {
        outcome.summary = exportGridVideo(options, report, &cancel);
      });
  if (!started) {
    outcome.error = QObject::tr("an export is already running");
    return outcome;
  }
  job.waitKeepingEventsAlive();
  outcome.cancelled = outcome.error.isEmpty() && outcome.summary.cancelled;
  outcome.written = outcome.error.isEmpty() && !outcome.cancelled;
  progress.reset();
  return outcome;
}

}  // namespace heardmap
