// What the grid exports: a snapshot (PNG of every view + the audio windows + JSON) and a range of
// the grid as mp4 (GridVideoExport on a background job, with progress and cancel), with their
// dialogs. Reads the player, the views and the failure boxes; owns no widgets.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include "BackgroundJob.h"

class QWidget;

namespace heardmap {

class AnnotationController;
class PlayerController;
class ViewGrid;

class GridExports : public QObject {
  Q_OBJECT

 public:
  GridExports(PlayerController* player, ViewGrid* grid, const AnnotationController* failures,
              QWidget* dialogParent);

  // Writes the snapshot; the files written (empty on failure, with error()).
  QStringList saveSnapshot(const QString& pngPath);
  // Writes the range [start, end] of the grid to an mp4; false on failure or cancel.
  bool exportRange(double startSeconds, double endSeconds, const QString& path);
  void cancelExport() { job_->cancel(); }
  // The dialogs: where to write (beside the clip), and the range (the selected failure's, or
  // kDefaultExportSeconds from the playhead).
  void snapshotDialog();
  void exportDialog();

 Q_SIGNALS:
  void message(const QString& text);
  void error(const QString& text);

 private:
  PlayerController* player_;
  ViewGrid* grid_;
  const AnnotationController* failures_;
  QWidget* dialogParent_;
  BackgroundJob* job_;  // the export's (a child)
};

}  // namespace heardmap
