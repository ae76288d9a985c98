#include "FailuresPane.h"

#include <QFileDialog>
#include <QFileInfo>

#include "AnnotationController.h"
#include "AnnotationPanel.h"
#include "AnnotationScorer.h"
#include "ClipPaths.h"
#include "PlayerController.h"
#include "TimelineWidget.h"
#include "VideoView.h"
#include "ViewGrid.h"
#include "ViewLabels.h"

namespace heardmap {

FailuresPane::FailuresPane(PlayerController* player, ViewGrid* grid, TimelineWidget* timeline,
                           QWidget* dialogParent)
    : QObject(dialogParent),
      player_(player),
      grid_(grid),
      timeline_(timeline),
      dialogParent_(dialogParent),
      annotations_(new AnnotationController(this)),
      panel_(new AnnotationPanel(dialogParent)),
      scorer_(new AnnotationScorer(this)) {
  connect(scorer_, &AnnotationScorer::progress, this, [this](int done, int total) {
    panel_->setEvaluationStatus(tr("scoring: %1 / %2 frames").arg(done).arg(total));
  });
  connect(scorer_, &AnnotationScorer::finished, panel_, &AnnotationPanel::setScores);
  connect(scorer_, &AnnotationScorer::finished, panel_, [this] { panel_->setEvaluating(false); });
  const auto showDocument = [this] {
    panel_->setDocument(annotations_->document(), annotations_->selected(),
                        annotations_->selectedObject());
    refreshBoxes();
    Q_EMIT changed();
  };
  connect(annotations_, &AnnotationController::changed, this, showDocument);
  connect(annotations_, &AnnotationController::selectionChanged, this, showDocument);
  connect(annotations_, &AnnotationController::pendingStartChanged, timeline_,
          &TimelineWidget::setPendingStart);
  connect(annotations_, &AnnotationController::saved, panel_, &AnnotationPanel::setSavedPath);
  connect(annotations_, &AnnotationController::message, this, &FailuresPane::message);
  connect(player_, &PlayerController::mediaOpened, this, [this](const MediaInfo& info) {
    annotations_->openClip(QString::fromStdString(info.path), info.durationSeconds, info.width,
                           info.height);
  });
  connect(grid_, &ViewGrid::boxDrawn, this, [this](int, const QRectF& rect, bool newObject) {
    annotations_->setBox(frameTime(), {rect.left(), rect.top(), rect.right(), rect.bottom()},
                         newObject);
  });
  connectPanel();
}

void FailuresPane::connectPanel() {
  connect(panel_, &AnnotationPanel::selected, annotations_, &AnnotationController::select);
  connect(panel_, &AnnotationPanel::tagEdited, annotations_, &AnnotationController::setTag);
  connect(panel_, &AnnotationPanel::noteEdited, annotations_, &AnnotationController::setNote);
  connect(panel_, &AnnotationPanel::removeBoxClicked, this,
          [this] { annotations_->removeBox(frameTime()); });
  connect(panel_, &AnnotationPanel::deleteClicked, annotations_, &AnnotationController::remove);
  connect(panel_, &AnnotationPanel::objectSelected, annotations_,
          &AnnotationController::selectObject);
  connect(panel_, &AnnotationPanel::objectLabelEdited, annotations_,
          &AnnotationController::setObjectLabel);
  connect(panel_, &AnnotationPanel::importCocoClicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Import COCO labels"), QFileInfo(player_->mediaPath()).absolutePath(),
        tr("JSON (*.json)"));
    if (!path.isEmpty()) {
      importLabels(path);
    }
  });
  connect(panel_, &AnnotationPanel::seekRequested, player_, &PlayerController::seek);
  connect(panel_, &AnnotationPanel::evaluateClicked, this, &FailuresPane::evaluate);
  connect(panel_, &AnnotationPanel::exportCocoClicked, this,
          [this] { exportTo(tr("Export COCO-style JSON"), ".coco.json", true); });
  connect(panel_, &AnnotationPanel::exportCsvClicked, this,
          [this] { exportTo(tr("Export CSV"), ".failures.csv", false); });
}

double FailuresPane::frameTime() const {
  return player_->currentFrame().empty() ? player_->position()
                                         : player_->currentFrame().timeSeconds;
}

void FailuresPane::exportTo(const QString& title, const QString& suffix, bool coco) {
  const QString path =
      QFileDialog::getSaveFileName(dialogParent_, title, besideClip(player_->mediaPath(), suffix),
                                   coco ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
  if (path.isEmpty()) {
    return;
  }
  try {
    coco ? annotations_->exportCoco(path) : annotations_->exportCsv(path);
    Q_EMIT message(tr("Exported %1").arg(path));
  } catch (const std::exception& e) {
    Q_EMIT error(QString::fromStdString(e.what()));
  }
}

void FailuresPane::markStart() {
  annotations_->markStart(frameTime());
}

void FailuresPane::markEnd() {
  const ViewSlot& slot = player_->view(grid_->selected());
  AnnotationContext context;
  context.method = viewModelLabel(slot).toStdString();
  context.checkpoint = slot.checkpointPath.isEmpty() ? std::string("untrained demo model")
                                                     : slot.checkpointPath.toStdString();
  context.condition = slot.condition;
  annotations_->markEnd(frameTime(), context);
}

void FailuresPane::importLabels(const QString& path) {
  try {
    annotations_->importCoco(path, player_->mediaInfo().frameRate);
  } catch (const std::exception& e) {
    Q_EMIT error(QString::fromStdString(e.what()));
  }
}

void FailuresPane::evaluate() {
  if (scorer_->isRunning()) {  // the button reads "Stop scoring" meanwhile
    scorer_->cancel();
    panel_->setEvaluationStatus(tr("stopping..."));
    return;
  }
  std::vector<AnnotationEvalModel> models;
  for (int i = 0; i < player_->viewCount(); ++i) {
    const ViewSlot& slot = player_->view(i);
    models.push_back({QStringLiteral("%1 %2").arg(i + 1).arg(viewModelLabel(slot)).toStdString(),
                      slot.checkpointPath.toStdString()});
  }
  if (scorer_->start(annotations_->document(), std::move(models),
                     player_->effectiveContract(0).placement)) {
    panel_->setEvaluationStatus(tr("scoring..."));
    panel_->setEvaluating(true);
  }
}

bool FailuresPane::evaluationRunning() const {
  return scorer_->isRunning();
}

void FailuresPane::refreshBoxes() {
  const double t = frameTime();
  std::vector<ViewBox> boxes;
  for (const FailureAnnotation* a : annotations_->document().at(t)) {
    const std::vector<FailureAnnotation::ObjectBox> objects = a->boxesAt(t);
    for (const FailureAnnotation::ObjectBox& object : objects) {
      const NormalizedBox& box = object.box;
      ViewBox vb;
      vb.rect = QRectF(QPointF(box.x0, box.y0), QPointF(box.x1, box.y1));
      // "#2 wrong object", and the object when the record has several: "#2.3 dog".
      const QString what =
          QString::fromStdString(object.label.empty() ? a->tagText() : object.label);
      vb.label = objects.size() > 1 || !object.label.empty()
                     ? QStringLiteral("#%1.%2 %3").arg(a->id).arg(object.objectId).arg(what)
                     : QStringLiteral("#%1 %2").arg(a->id).arg(what);
      vb.selected = a->id == annotations_->selected() &&
                    (objects.size() == 1 || object.objectId == annotations_->selectedObject());
      boxes.push_back(vb);
    }
  }
  for (int i = 0; i < grid_->count(); ++i) {
    grid_->view(i)->setBoxes(boxes);
  }
}

std::vector<TimelineMarker> FailuresPane::markers() const {
  std::vector<TimelineMarker> out;
  for (const FailureAnnotation& a : annotations_->document().items()) {
    out.push_back({a.startSeconds, a.endSeconds, QStringLiteral("#%1").arg(a.id),
                   a.id == annotations_->selected()});
  }
  return out;
}

}  // namespace heardmap
