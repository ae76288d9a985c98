// Assembles the player: the view grid, timeline and transport bar; overlay, annotation and live
// docks; the probe toolbar; menus, rebindable shortcuts and the session (QSettings). Wires them to
// one PlayerController and one AnnotationController and holds no playback logic itself.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <QTimer>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "CompareGrid.h"
#include "core/AudioCondition.h"
#include "core/OverlaySettings.h"
#include "core/ml/ForeignCheckpoint.h"

class QLabel;
class QMenu;

namespace heardmap {

struct MediaInfo;
struct SessionState;

class AnnotationController;
class FailuresPane;
class GridExports;
class HelpOverlay;
class LivePane;
class LocalizationModel;
class OverlayPanel;
class PlayerController;
class ProbeBar;
class ShortcutMap;
class TrainerPane;
class TrainerPanel;
class TrainerProcess;
class TimelineWidget;
class TransportBar;
class VideoView;
class ViewGrid;
struct PlaybackStats;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // Most entries in File > Open recent and File > Recent checkpoints.
  static constexpr int kMaxRecentFiles = 10;

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  PlayerController* controller() const { return controller_; }
  AnnotationController* annotations() const { return annotations_; }
  ViewGrid* grid() const { return grid_; }
  VideoView* videoView() const;  // the selected view
  OverlayPanel* overlayPanel() const { return panel_; }
  TimelineWidget* timeline() const { return timeline_; }
  ShortcutMap* shortcuts() const { return shortcuts_; }
  HelpOverlay* helpOverlay() const { return help_; }
  QStringList recentFiles() const { return recent_; }
  QStringList recentCheckpoints() const { return recentCheckpoints_; }
  TrainerPanel* trainerPanel() const;
  TrainerProcess* trainer() const;

  // Starts a training run with the trainer pane's settings (background process); false with a
  // message when it cannot start.
  bool startTraining();
  // A checkpoint as a new view (or into the selected view when the grid is full).
  bool compareCheckpoint(const QString& path);

  bool openMedia(const QString& path);
  // Reads someone else's labels (COCO) into the open clip's annotations (errors in a dialog).
  void importLabels(const QString& path);
  // Loads a checkpoint into the selected view (empty: the untrained demo model). Shows errors in a
  // dialog (or the log when hidden) and keeps the previous model.
  // options: how to read a file whose names do not say its method (CheckpointPrompt asks).
  bool loadModel(const QString& path, const LoadOptions& options = {});
  // What a checkpoint that does not load leaves: the view's model and a dialog (what the user
  // opened by hand), or the error in the view, on stderr, with no model in its place (what
  // --checkpoint and the saved session name: no silent fallback to another model).
  using LoadFailure = CompareGrid::LoadFailure;
  bool loadModelIntoView(int view, const QString& path,
                         LoadFailure onFailure = LoadFailure::KeepModel,
                         const LoadOptions& options = {});
  // Gives every view without a model (and without a load error) a shipped model
  // (core/ShippedModels.h, in method order), or the (shared) untrained demo model when none ship.
  void ensureModels();
  // The shipped checkpoints this app finds.
  static std::vector<std::string> shippedModelPaths();
  // New views get default overlay settings (the panel's when shared) and, with fill, the next
  // shipped models not yet shown (ensureModels); start-up leaves them for the checkpoints it
  // loads and fills them after.
  void setViewCount(int count, bool fill = true);
  void selectView(int view);
  void applyProbe(AudioCondition condition, bool allViews);

  // The grid as seen (PNG) plus the audio each view heard (WAV, one per distinct window) and a
  // JSON sidecar. Returns the files written; empty + error message on failure.
  QStringList saveSnapshot(const QString& pngPath);
  // Exports [start, end] of the grid as mp4 with progress and cancel; blocks (with an event
  // loop) until done. Returns true when the file was written.
  bool exportRange(double startSeconds, double endSeconds, const QString& path);
  void cancelExport();
  // Scores every view's model on the annotated boxes (background thread); the table fills in.
  void evaluateAnnotations();
  bool evaluationRunning() const;

  // Session state: recent files, window layout, overlay, views (checkpoints, probes), shortcuts.
  void restoreSession();
  // The saved recent files and checkpoints alone (--fresh: closing then keeps them).
  void restoreRecentLists();
  void saveSession();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void createDocks();
  void createMenus();
  void createShortcuts();
  void connectController();
  void connectTransport();
  void connectPlayback();
  void connectLive();
  void syncViewsWithPlayer();
  void showOpenedMedia(const MediaInfo& info, const QString& audioStatus);
  void connectViews();
  void connectAnnotations();
  void connectTrainer();
  void showError(const QString& message);
  void showStats(const PlaybackStats& stats);
  void applyRecentLists(const SessionState& session);
  void refreshCaptions();
  void refreshCaption(int view, bool redrawNow = true);
  void refreshBoxes();
  void refreshTimeline();
  void refreshModelWindow();
  void showSelectedModel();
  void addRecent(QStringList& list, const QString& path);
  void rebuildRecentMenus();
  void refreshHelp();

  PlayerController* controller_ = nullptr;
  AnnotationController* annotations_ = nullptr;  // failures_->annotations()
  ViewGrid* grid_ = nullptr;
  TimelineWidget* timeline_ = nullptr;
  TransportBar* transport_ = nullptr;
  OverlayPanel* panel_ = nullptr;
  FailuresPane* failures_ = nullptr;  // the Failures dock and its annotations
  CompareGrid* views_ = nullptr;      // the views' models, probes, selection and captions
  LivePane* live_ = nullptr;
  ProbeBar* probeBar_ = nullptr;
  TrainerPane* trainer_ = nullptr;  // the Trainer dock and its training process
  ShortcutMap* shortcuts_ = nullptr;
  HelpOverlay* help_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* recentCheckpointMenu_ = nullptr;
  QLabel* statsLabel_ = nullptr;
  QLabel* audioLabel_ = nullptr;
  QLabel* mediaLabel_ = nullptr;
  QStringList recent_;
  QStringList recentCheckpoints_;
  QTimer timelineRefresh_;
  GridExports* exports_ = nullptr;  // snapshot and range export
};

}  // namespace heardmap
