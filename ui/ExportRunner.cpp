#include "ExportRunner.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QProgressDialog>
#include <QTimer>
#include <algorithm>
#include <thread>

namespace heardmap {
namespace {

// How often the dialog reads the worker's progress.
constexpr int kPollIntervalMs = 50;

}  // namespace

ExportOutcome runGridExport(QWidget* parent, const GridExportOptions& options,
                            std::atomic<bool>* cancel) {
  const QString name = QFileInfo(QString::fromStdString(options.outputPath)).fileName();
  QProgressDialog progress(QObject::tr("Exporting %1...").arg(name), QObject::tr("Cancel"), 0, 100,
                           parent);
  progress.setObjectName("exportProgress");
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(0);
  *cancel = false;
  QObject::connect(&progress, &QProgressDialog::canceled, [cancel] { *cancel = true; });
  std::atomic<int> done{0};
  std::atomic<int> total{1};
  std::atomic<bool> finished{false};
  ExportOutcome outcome;
  std::thread worker([&] {
    try {
      outcome.summary = exportGridVideo(
          options,
          [&](int d, int t) {
            done = d;
            total = t;
          },
          cancel);
      outcome.cancelled = outcome.summary.cancelled;
      outcome.written = !outcome.cancelled;
    } catch (const std::exception& e) {
      outcome.error = QString::fromStdString(e.what());
    }
    finished = true;
  });
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    progress.setValue(std::min(99, done * 100 / std::max(1, total.load())));
    progress.setLabelText(
        QObject::tr("Exporting %1: frame %2 of %3").arg(name).arg(done.load()).arg(total.load()));
    if (finished) {
      loop.quit();
    }
  });
  poll.start(kPollIntervalMs);
  loop.exec();
  worker.join();
  progress.reset();
  return outcome;
}

}  // namespace heardmap
