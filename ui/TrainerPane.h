// The Trainer pane: its dock (TrainerPanel) and the background training process
// (TrainerProcess), wired together: file choosers, start and stop, progress and curves, the
// finished checkpoint. The window places the dock and acts on compareRequested / loadRequested.
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace heardmap {

class TrainerPanel;
class TrainerProcess;

class TrainerPane : public QObject {
  Q_OBJECT

 public:
  // dialogParent: where the file dialogs open.
  explicit TrainerPane(QWidget* dialogParent);

  TrainerPanel* panel() const { return panel_; }
  TrainerProcess* process() const { return process_; }
  // Starts a run with the panel's settings; false (with error()) when it cannot start.
  bool start();

 Q_SIGNALS:
  void compareRequested(const QString& checkpoint);  // "Add as a view"
  void loadRequested(const QString& checkpoint);     // into the selected view
  void message(const QString& text);
  void error(const QString& text);

 private:
  QWidget* dialogParent_;
  TrainerPanel* panel_;
  TrainerProcess* process_;
};

}  // namespace heardmap
