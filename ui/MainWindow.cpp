#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <cstdio>

#include "AnnotationController.h"
#include "AnnotationPanel.h"
#include "CheckpointPrompt.h"
#include "ClipPaths.h"
#include "CompareGrid.h"
#include "ExportRunner.h"
#include "FailuresPane.h"
#include "GridExports.h"
#include "GridSnapshot.h"
#include "GridVideoExport.h"
#include "HelpOverlay.h"
#include "LivePane.h"
#include "OverlayPanel.h"
#include "PlayerController.h"
#include "ProbeBar.h"
#include "SessionState.h"
#include "ShortcutDialog.h"
#include "ShortcutMap.h"
#include "SpectrogramImage.h"
#include "TimelineWidget.h"
#include "TrainerPane.h"
#include "TrainerPanel.h"
#include "TrainerProcess.h"
#include "TransportBar.h"
#include "VideoView.h"
#include "ViewGrid.h"
#include "ViewLabels.h"
#include "core/ShippedModels.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Shortest interval between two timeline refreshes while heatmaps arrive.
constexpr int kTimelineRefreshMs = 100;

// Colours of the views' peak-score tracks (and nothing else): distinct on dark grey.
const QColor kTrackColors[] = {QColor(255, 200, 0),   QColor(80, 180, 255),  QColor(255, 90, 90),
                               QColor(120, 230, 120), QColor(220, 120, 255), QColor(255, 150, 60)};

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Heardmap"));
  setAcceptDrops(true);
  controller_ = new PlayerController(this);
  grid_ = new ViewGrid(this);
  timeline_ = new TimelineWidget(this);
  failures_ = new FailuresPane(controller_, grid_, timeline_, this);
  annotations_ = failures_->annotations();
  exports_ = new GridExports(controller_, grid_, annotations_, this);
  timeline_->setObjectName("timeline");
  transport_ = new TransportBar(this);
  panel_ = new OverlayPanel(this);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(grid_, 1);
  layout->addWidget(timeline_);
  layout->addWidget(transport_);
  setCentralWidget(central);
  help_ = new HelpOverlay(this);

  probeBar_ = new ProbeBar(this);
  views_ = new CompareGrid(controller_, grid_, panel_, probeBar_, this);
  addToolBar(Qt::TopToolBarArea, probeBar_);
  createDocks();

  mediaLabel_ = new QLabel(this);
  mediaLabel_->setObjectName("mediaStatus");
  // The clip's line gives way (clipped, whole in its tooltip) so that the sound and speed
  // figures always fit at the default window width.
  mediaLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  audioLabel_ = new QLabel(this);
  audioLabel_->setObjectName("audioStatus");
  statsLabel_ = new QLabel(this);
  statsLabel_->setObjectName("stats");
  statusBar()->addWidget(mediaLabel_, 1);
  statusBar()->addPermanentWidget(audioLabel_);
  statusBar()->addPermanentWidget(statsLabel_);

  connectController();
  controller_->setOverlaySettings(panel_->settings());

  connectViews();
  connectAnnotations();
  connectTrainer();
  createMenus();
  createShortcuts();
  live_->refreshDevices();
  resize(1280, 800);
  grid_->view(0)->setFocus();
}

MainWindow::~MainWindow() = default;

VideoView* MainWindow::videoView() const {
  return grid_->view(grid_->selected());
}

void MainWindow::createDocks() {
  const auto dock = [this](const QString& title, const QString& name, QWidget* widget,
                           Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    // Scrollable, so that a tall pane never forces the window taller than the screen.
    auto* scroll = new QScrollArea(d);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(widget);
    d->setWidget(scroll);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                   QDockWidget::DockWidgetClosable);
    addDockWidget(area, d);
    return d;
  };
  QDockWidget* overlay = dock(tr("Overlay"), "overlayDock", panel_, Qt::RightDockWidgetArea);
  QDockWidget* failures =
      dock(tr("Failures"), "annotationDock", failures_->panel(), Qt::RightDockWidgetArea);
  live_ = new LivePane(controller_, this);
  QDockWidget* live =
      dock(tr("Live microphone"), "liveDock", live_->panel(), Qt::RightDockWidgetArea);
  trainer_ = new TrainerPane(this);
  QDockWidget* training =
      dock(tr("Trainer"), "trainerDock", trainer_->panel(), Qt::RightDockWidgetArea);
  tabifyDockWidget(overlay, failures);
  tabifyDockWidget(failures, live);
  tabifyDockWidget(live, training);
  overlay->raise();
}

void MainWindow::connectController() {
  connectTransport();
  connectPlayback();
  connectLive();
}

// The transport bar and the timeline, both ways.
void MainWindow::connectTransport() {
  connect(transport_, &TransportBar::playPauseClicked, controller_, &PlayerController::togglePlay);
  connect(transport_, &TransportBar::seekRequested, controller_, &PlayerController::seek);
  connect(transport_, &TransportBar::stepRequested, controller_, &PlayerController::step);
  connect(timeline_, &TimelineWidget::seekRequested, controller_, &PlayerController::seek);
  connect(controller_, &PlayerController::positionChanged, transport_, &TransportBar::setPosition);
  connect(controller_, &PlayerController::positionChanged, timeline_, &TimelineWidget::setPosition);
  connect(controller_, &PlayerController::playingChanged, transport_, &TransportBar::setPlaying);
  connect(controller_, &PlayerController::speedChanged, transport_, &TransportBar::setSpeed);
}

// What the player shows: frames and maps into the views, the views' count, a new clip.
void MainWindow::connectPlayback() {
  // Each view's overlay lives in the player (ViewSlot); the widgets follow it.
  connect(controller_, &PlayerController::viewOverlayChanged, this,
          [this](int view, const OverlaySettings& settings) {
            if (view < grid_->count()) {
              grid_->view(view)->setOverlaySettings(settings);
            }
          });
  connect(controller_, &PlayerController::frameReady, this, [this](const RgbImage& frame) {
    const auto shared = std::make_shared<const RgbImage>(frame);  // one copy for every view
    for (int i = 0; i < grid_->count(); ++i) {
      grid_->view(i)->setFrame(shared);
    }
    refreshBoxes();
  });
  connect(controller_, &PlayerController::heatmapReady, this,
          [this](int view, const DisplayHeatmap& heatmap) {
            if (view < grid_->count()) {
              // Playing, the map shows with the next frame: one draw per frame, not two.
              const bool redrawNow = !controller_->framesComeOften();
              grid_->view(view)->setHeatmap(heatmap, redrawNow);
              refreshCaption(view, redrawNow);
            }
            if (view == grid_->selected()) {
              panel_->setScores(heatmap);
            }
          });
  // The timeline (peak tracks, the spectrogram of the model window) follows the heatmaps at
  // most every kTimelineRefreshMs: its track copies grow with the clip.
  timelineRefresh_.setSingleShot(true);
  timelineRefresh_.setInterval(kTimelineRefreshMs);
  connect(&timelineRefresh_, &QTimer::timeout, this, [this] {
    refreshTimeline();
    refreshModelWindow();
  });
  connect(controller_, &PlayerController::heatmapsUpdated, this, [this] {
    if (!timelineRefresh_.isActive()) {
      timelineRefresh_.start();
    }
  });
  connect(controller_, &PlayerController::viewsChanged, this, &MainWindow::syncViewsWithPlayer);
  connect(grid_, &ViewGrid::viewClicked, this, &MainWindow::selectView);
  connect(grid_, &ViewGrid::viewDoubleClicked, this, [this](int view) {
    bool accepted = false;
    const QString name = QInputDialog::getText(
        this, tr("Name view %1").arg(view + 1),
        tr("A name for this view (captions, timeline, exports); empty for none:"),
        QLineEdit::Normal, controller_->view(view).name, &accepted);
    if (accepted) {
      controller_->setViewName(view, name);
    }
  });
  connect(controller_, &PlayerController::statsChanged, this, &MainWindow::showStats);
  connect(controller_, &PlayerController::errorOccurred, this, &MainWindow::showError);
  connect(controller_, &PlayerController::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(controller_, &PlayerController::mediaOpened, this, &MainWindow::showOpenedMedia);
}

// The grid follows the player's views: as many widgets, the frame on screen and each view's
// overlay for new ones, captions, timeline and the selected model.
void MainWindow::syncViewsWithPlayer() {
  if (grid_->count() != controller_->viewCount()) {
    grid_->setCount(controller_->viewCount());
    probeBar_->setViewCount(controller_->viewCount());
    // The frame on screen, held once for every view.
    const auto frame = std::make_shared<const RgbImage>(controller_->currentFrame());
    for (int i = 0; i < grid_->count(); ++i) {
      if (!frame->empty()) {
        grid_->view(i)->setFrame(frame);
      }
      grid_->view(i)->setOverlaySettings(controller_->view(i).processor.settings());
    }
    refreshBoxes();
  }
  refreshCaptions();
  refreshTimeline();
  showSelectedModel();
}

// A clip opened: the transport, timeline, captions and the status line start over.
void MainWindow::showOpenedMedia(const MediaInfo& info, const QString& audioStatus) {
  transport_->setDuration(info.durationSeconds);
  transport_->setPosition(0.0);
  timeline_->setDuration(info.durationSeconds);
  timeline_->setWaveform(controller_->sourceAudio(), controller_->sourceRateHz());
  for (int i = 0; i < grid_->count(); ++i) {
    grid_->view(i)->clearHeatmap();
  }
  panel_->clearScores();
  const QString name = QFileInfo(QString::fromStdString(info.path)).fileName();
  mediaLabel_->setText(name + "  " + QString::fromStdString(info.summary()));
  mediaLabel_->setToolTip(mediaLabel_->text());
  audioLabel_->setText(audioStatus);
  setWindowTitle(tr("Heardmap - %1").arg(name));
}

// The live dock's controller owns its wiring; the window shows the live status.
void MainWindow::connectLive() {
  connect(live_, &LivePane::liveChanged, this, [this](bool live, const QString& status) {
    audioLabel_->setText(live ? status : controller_->audioStatus());
    refreshCaptions();
  });
}

void MainWindow::connectViews() {
  connect(views_, &CompareGrid::checkpointLoaded, this,
          [this](const QString& path) { addRecent(recentCheckpoints_, path); });
  connect(views_, &CompareGrid::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 10000); });
  connect(views_, &CompareGrid::error, this, &MainWindow::showError);
}

void MainWindow::connectAnnotations() {
  connect(failures_, &FailuresPane::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  connect(failures_, &FailuresPane::error, this, &MainWindow::showError);
  connect(failures_, &FailuresPane::changed, this, &MainWindow::refreshTimeline);
  connect(exports_, &GridExports::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  connect(exports_, &GridExports::error, this, &MainWindow::showError);
}

void MainWindow::connectTrainer() {
  connect(trainer_, &TrainerPane::compareRequested, this, &MainWindow::compareCheckpoint);
  connect(trainer_, &TrainerPane::loadRequested, this,
          [this](const QString& path) { loadModel(path); });
  connect(trainer_, &TrainerPane::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 10000); });
  connect(trainer_, &TrainerPane::error, this, &MainWindow::showError);
}

bool MainWindow::startTraining() {
  return trainer_->start();
}

TrainerPanel* MainWindow::trainerPanel() const {
  return trainer_->panel();
}

TrainerProcess* MainWindow::trainer() const {
  return trainer_->process();
}

bool MainWindow::openMedia(const QString& path) {
  if (!controller_->open(path)) {
    return false;
  }
  addRecent(recent_, QFileInfo(path).absoluteFilePath());
  return true;
}

bool MainWindow::loadModel(const QString& path, const LoadOptions& options) {
  return loadModelIntoView(grid_->selected(), path, LoadFailure::KeepModel, options);
}

bool MainWindow::compareCheckpoint(const QString& path) {
  return views_->compareCheckpoint(path);
}

bool MainWindow::loadModelIntoView(int view, const QString& path, LoadFailure onFailure,
                                   const LoadOptions& options) {
  return views_->loadModelIntoView(view, path, onFailure, options);
}

std::vector<std::string> MainWindow::shippedModelPaths() {
  return CompareGrid::shippedModelPaths();
}

void MainWindow::ensureModels() {
  views_->ensureModels();
}

void MainWindow::setViewCount(int count, bool fill) {
  views_->setViewCount(count, fill);
}

void MainWindow::selectView(int view) {
  views_->selectView(view);
}

void MainWindow::showSelectedModel() {
  views_->showSelectedModel();
}

void MainWindow::applyProbe(AudioCondition condition, bool allViews) {
  views_->applyProbe(condition, allViews);
}

void MainWindow::refreshCaptions() {
  views_->refreshCaptions();
}

void MainWindow::refreshCaption(int view, bool redrawNow) {
  views_->refreshCaption(view, redrawNow);
}

void MainWindow::importLabels(const QString& path) {
  failures_->importLabels(path);
}

void MainWindow::refreshBoxes() {
  failures_->refreshBoxes();
}

void MainWindow::refreshTimeline() {
  std::vector<TimelineTrack> tracks;
  for (int i = 0; i < controller_->viewCount(); ++i) {
    const ViewSlot& slot = controller_->view(i);
    TimelineTrack track;
    track.name = QStringLiteral("%1 %2").arg(i + 1).arg(viewModelLabel(slot));
    track.color = kTrackColors[i % 6];
    track.peakByMs = slot.peakByMs;
    tracks.push_back(std::move(track));
  }
  timeline_->setTracks(tracks);
  timeline_->setMarkers(failures_->markers());
}

void MainWindow::refreshModelWindow() {
  const int view = std::min(grid_->selected(), controller_->viewCount() - 1);
  const ViewSlot& slot = controller_->view(view);
  if (slot.window.empty() || controller_->currentFrame().empty()) {
    return;
  }
  const PreprocessingContract contract = controller_->effectiveContract(view);
  const QImage image = spectrogramImage(slot.window, contract);
  if (image.isNull()) {
    return;
  }
  const double t = controller_->currentFrame().timeSeconds;
  double start = t - contract.windowSeconds / 2.0;
  if (contract.placement == WindowPlacement::Causal || controller_->isLive()) {
    start = t - contract.windowSeconds;
  }
  timeline_->setModelWindow(start, start + contract.windowSeconds, image);
}

QStringList MainWindow::saveSnapshot(const QString& pngPath) {
  return exports_->saveSnapshot(pngPath);
}

bool MainWindow::exportRange(double startSeconds, double endSeconds, const QString& path) {
  return exports_->exportRange(startSeconds, endSeconds, path);
}

void MainWindow::cancelExport() {
  exports_->cancelExport();
}

void MainWindow::evaluateAnnotations() {
  failures_->evaluate();
}

bool MainWindow::evaluationRunning() const {
  return failures_->evaluationRunning();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSession();
  QMainWindow::closeEvent(event);
}

void MainWindow::showError(const QString& message) {
  statusBar()->showMessage(message, 10000);
  if (isVisible() && qEnvironmentVariableIsEmpty("HEARDMAP_NO_DIALOGS")) {
    QMessageBox::warning(this, tr("Heardmap"), message);
  } else {
    qWarning("%s", qPrintable(message));
  }
}

void MainWindow::showStats(const PlaybackStats& stats) {
  live_->setInferenceMs(stats.inferenceMs);
  statsLabel_->setText(tr("%1 fps | %2 view(s), %3 visual pass(es) | heatmaps %4/s, %5 ms | "
                          "dropped %6")
                           .arg(stats.displayFps, 0, 'f', 1)
                           .arg(stats.views)
                           .arg(stats.visualPasses)
                           .arg(stats.heatmapsPerSecond, 0, 'f', 1)
                           .arg(stats.inferenceMs, 0, 'f', 1)
                           .arg(stats.droppedFrames));
}

void MainWindow::resizeEvent(QResizeEvent* event) {
  QMainWindow::resizeEvent(event);
  if (help_->isVisible()) {
    help_->setGeometry(rect());
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.first().isLocalFile()) {
    openMedia(urls.first().toLocalFile());
  }
}

}  // namespace heardmap
