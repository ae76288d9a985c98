// The Failures pane: the open clip's failure annotations (AnnotationController), their dock
// (AnnotationPanel), scoring the views' models on them (AnnotationScorer), COCO import and export,
// the I / O keys, and the boxes and points every view draws. The window only places the dock.
#pragma once

#include <QObject>
#include <QString>
#include <vector>

class QWidget;

namespace heardmap {

class AnnotationController;
class AnnotationPanel;
class AnnotationScorer;
class PlayerController;
class TimelineWidget;
class ViewGrid;
struct TimelineMarker;

class FailuresPane : public QObject {
  Q_OBJECT

 public:
  // dialogParent: where the file dialogs open.
  FailuresPane(PlayerController* player, ViewGrid* grid, TimelineWidget* timeline,
               QWidget* dialogParent);

  AnnotationController* annotations() const { return annotations_; }
  AnnotationPanel* panel() const { return panel_; }

  // The I and O keys at the frame on screen: the range takes the selected view's model and probe.
  void markStart();
  void markEnd();
  // Reads someone else's labels (COCO) into a new record (errors via error()).
  void importLabels(const QString& path);
  // Scores every view's model on the annotated boxes (background thread); while that runs, stops
  // it (what was scored is reported).
  void evaluate();
  bool evaluationRunning() const;
  // Gives every view the boxes and points of the frame on screen.
  void refreshBoxes();
  // The timeline's failure row.
  std::vector<TimelineMarker> markers() const;

 Q_SIGNALS:
  // The records or the selection changed (the timeline redraws its failure row).
  void changed();
  void message(const QString& text);
  void error(const QString& text);

 private:
  void connectPanel();
  void exportTo(const QString& title, const QString& suffix, bool coco);
  double frameTime() const;  // the frame on screen, or the clock without one

  PlayerController* player_;
  ViewGrid* grid_;
  TimelineWidget* timeline_;
  QWidget* dialogParent_;
  AnnotationController* annotations_;
  AnnotationPanel* panel_;
  AnnotationScorer* scorer_;
};

}  // namespace heardmap
