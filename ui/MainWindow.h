// Assembles the player: video view, transport bar, overlay dock and status bar, wired to one
// PlayerController. Holds no playback logic itself.
#pragma once

#include <QMainWindow>
#include <memory>

class QLabel;

namespace heardmap {

class LocalizationModel;
class OverlayPanel;
class PlayerController;
class TransportBar;
class VideoView;
struct PlaybackStats;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  PlayerController* controller() const { return controller_; }
  VideoView* videoView() const { return view_; }
  OverlayPanel* overlayPanel() const { return panel_; }

  bool openMedia(const QString& path);
  // Loads a checkpoint (empty: the untrained demo model). Shows errors in a dialog unless quiet.
  bool loadModel(const QString& path);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createMenus();
  void createShortcuts();
  void showError(const QString& message);
  void showStats(const PlaybackStats& stats);

  PlayerController* controller_ = nullptr;
  VideoView* view_ = nullptr;
  TransportBar* transport_ = nullptr;
  OverlayPanel* panel_ = nullptr;
  QLabel* statsLabel_ = nullptr;
  QLabel* audioLabel_ = nullptr;
  QLabel* mediaLabel_ = nullptr;
};

}  // namespace heardmap
