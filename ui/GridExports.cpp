#include "GridExports.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QImage>
#include <algorithm>
#include <vector>

#include "AnnotationController.h"
#include "ClipPaths.h"
#include "ExportRunner.h"
#include "GridSnapshot.h"
#include "GridVideoExport.h"
#include "PlayerController.h"
#include "VideoView.h"
#include "ViewGrid.h"
#include "ViewLabels.h"

namespace heardmap {
namespace {

// Default length of an exported range when no failure is selected.
constexpr double kDefaultExportSeconds = 5.0;

}  // namespace

GridExports::GridExports(PlayerController* player, ViewGrid* grid,
                         const AnnotationController* failures, QWidget* dialogParent)
    : QObject(dialogParent),
      player_(player),
      grid_(grid),
      failures_(failures),
      dialogParent_(dialogParent),
      job_(new BackgroundJob(this)) {}

QStringList GridExports::saveSnapshot(const QString& pngPath) {
  if (player_->currentFrame().empty()) {
    Q_EMIT error(tr("Nothing to snapshot: open a clip first"));
    return {};
  }
  std::vector<QImage> tiles;
  for (int i = 0; i < grid_->count(); ++i) {
    tiles.push_back(grid_->view(i)->grabFramebuffer());
  }
  try {
    const QStringList written =
        writeGridSnapshot(pngPath, tiles, ViewGrid::gridShape(grid_->count()), *player_);
    Q_EMIT message(tr("Snapshot: %1").arg(written.join(", ")));
    return written;
  } catch (const std::exception& e) {
    Q_EMIT error(tr("Snapshot not saved: %1").arg(QString::fromStdString(e.what())));
    return {};
  }
}

void GridExports::snapshotDialog() {
  const QString suggested =
      besideClip(player_->mediaPath(),
                 QStringLiteral("-%1s.png").arg(player_->currentFrame().timeSeconds, 0, 'f', 2));
  const QString path =
      QFileDialog::getSaveFileName(dialogParent_, tr("Snapshot"), suggested, tr("PNG (*.png)"));
  if (!path.isEmpty()) {
    saveSnapshot(path);
  }
}

void GridExports::exportDialog() {
  if (!player_->hasMedia()) {
    Q_EMIT error(tr("Open a clip first"));
    return;
  }
  double start = player_->position();
  double end = start + kDefaultExportSeconds;
  if (const FailureAnnotation* a = failures_->document().find(failures_->selected())) {
    start = a->startSeconds;
    end = std::max(a->endSeconds, a->startSeconds + 1.0);
  }
  QDialog dialog(dialogParent_);
  dialog.setWindowTitle(tr("Export range as mp4"));
  auto* form = new QFormLayout(&dialog);
  auto* from = new QDoubleSpinBox(&dialog);
  auto* to = new QDoubleSpinBox(&dialog);
  for (QDoubleSpinBox* box : {from, to}) {
    box->setRange(0.0, player_->mediaInfo().durationSeconds);
    box->setDecimals(2);
    box->setSuffix(tr(" s"));
  }
  from->setValue(start);
  to->setValue(std::min(end, player_->mediaInfo().durationSeconds));
  form->addRow(tr("From"), from);
  form->addRow(tr("To"), to);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) {
    return;
  }
  const QString path = QFileDialog::getSaveFileName(dialogParent_, tr("Export range"),
                                                    besideClip(player_->mediaPath(), "-grid.mp4"),
                                                    tr("MP4 (*.mp4)"));
  if (!path.isEmpty()) {
    exportRange(from->value(), to->value(), path);
  }
}

bool GridExports::exportRange(double startSeconds, double endSeconds, const QString& path) {
  GridExportOptions options;
  options.clipPath = player_->mediaPath().toStdString();
  options.offScreenClipPath = player_->offScreenClip().toStdString();
  options.outputPath = path.toStdString();
  options.startSeconds = startSeconds;
  options.endSeconds = endSeconds;
  for (int i = 0; i < player_->viewCount(); ++i) {
    const ViewSlot& slot = player_->view(i);
    GridExportView v;
    v.name = QStringLiteral("%1 %2").arg(i + 1).arg(viewModelLabel(slot)).toStdString();
    v.checkpoint = slot.checkpointPath.toStdString();
    v.condition = slot.condition;
    v.overlay = slot.processor.settings();
    options.views.push_back(v);
  }
  options.placement = player_->effectiveContract(0).placement;
  options.failures = failures_->document().items();  // their boxes, as the player shows them

  const ExportOutcome outcome = runGridExport(dialogParent_, options, *job_);
  if (!outcome.error.isEmpty()) {
    Q_EMIT error(tr("Export failed: %1").arg(outcome.error));
    return false;
  }
  if (outcome.cancelled) {
    Q_EMIT message(tr("Export cancelled; nothing written"));
    return false;
  }
  Q_EMIT message(
      tr("Exported %1 frames (%2x%3) to %4%5")
          .arg(outcome.summary.frames)
          .arg(outcome.summary.width)
          .arg(outcome.summary.height)
          .arg(path)
          .arg(outcome.summary.warning.empty()
                   ? QString()
                   : tr("; warning: %1").arg(QString::fromStdString(outcome.summary.warning))));
  return true;
}

}  // namespace heardmap
