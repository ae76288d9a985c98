#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QShortcut>
#include <QStatusBar>
#include <QVBoxLayout>

#include "OverlayPanel.h"
#include "PlayerController.h"
#include "TransportBar.h"
#include "VideoView.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Seek step of the Left/Right keys (mpv default).
constexpr double kArrowSeekSeconds = 5.0;
// Speed factor of the [ and ] keys (mpv default).
constexpr double kSpeedStep = 1.1;

const QString kMediaFilter = QStringLiteral(
    "Media (*.mp4 *.mkv *.webm *.avi *.mpg *.mpeg *.mov *.m4v *.ogv);;All files (*)");

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Heardmap"));
  setAcceptDrops(true);
  controller_ = new PlayerController(this);
  view_ = new VideoView(this);
  transport_ = new TransportBar(this);
  panel_ = new OverlayPanel(this);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(view_, 1);
  layout->addWidget(transport_);
  setCentralWidget(central);

  auto* dock = new QDockWidget(tr("Overlay"), this);
  dock->setObjectName("overlayDock");
  dock->setWidget(panel_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::RightDockWidgetArea, dock);

  mediaLabel_ = new QLabel(this);
  audioLabel_ = new QLabel(this);
  audioLabel_->setObjectName("audioStatus");
  statsLabel_ = new QLabel(this);
  statsLabel_->setObjectName("stats");
  statusBar()->addWidget(mediaLabel_, 1);
  statusBar()->addPermanentWidget(audioLabel_);
  statusBar()->addPermanentWidget(statsLabel_);

  const OverlaySettings initial = panel_->settings();
  view_->setOverlaySettings(initial);
  controller_->setOverlaySettings(initial);

  connect(panel_, &OverlayPanel::settingsChanged, view_, &VideoView::setOverlaySettings);
  connect(panel_, &OverlayPanel::settingsChanged, controller_,
          &PlayerController::setOverlaySettings);
  connect(panel_, &OverlayPanel::placementChanged, controller_,
          &PlayerController::setWindowPlacement);
  connect(panel_, &OverlayPanel::loadCheckpointClicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load checkpoint"), QString(),
        tr("Checkpoints (*.safetensors *.pth *.pt *.pth.tar);;All files (*)"));
    if (!path.isEmpty()) {
      loadModel(path);
    }
  });
  connect(transport_, &TransportBar::playPauseClicked, controller_, &PlayerController::togglePlay);
  connect(transport_, &TransportBar::seekRequested, controller_, &PlayerController::seek);
  connect(transport_, &TransportBar::stepRequested, controller_, &PlayerController::step);
  connect(controller_, &PlayerController::frameReady, view_, &VideoView::setFrame);
  connect(controller_, &PlayerController::heatmapReady, view_, &VideoView::setHeatmap);
  connect(controller_, &PlayerController::heatmapReady, panel_, &OverlayPanel::setScores);
  connect(controller_, &PlayerController::positionChanged, transport_, &TransportBar::setPosition);
  connect(controller_, &PlayerController::playingChanged, transport_, &TransportBar::setPlaying);
  connect(controller_, &PlayerController::speedChanged, transport_, &TransportBar::setSpeed);
  connect(controller_, &PlayerController::statsChanged, this, &MainWindow::showStats);
  connect(controller_, &PlayerController::errorOccurred, this, &MainWindow::showError);
  connect(controller_, &PlayerController::mediaOpened, this,
          [this](const MediaInfo& info, const QString& audioStatus) {
            transport_->setDuration(info.durationSeconds);
            transport_->setPosition(0.0);
            view_->clearHeatmap();
            panel_->clearScores();
            mediaLabel_->setText(QFileInfo(QString::fromStdString(info.path)).fileName() + "  " +
                                 QString::fromStdString(info.summary()));
            audioLabel_->setText(audioStatus);
            setWindowTitle(
                tr("Heardmap - %1").arg(QFileInfo(QString::fromStdString(info.path)).fileName()));
          });
  createMenus();
  createShortcuts();
  resize(1180, 640);
  view_->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open media..."), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open media"), QString(), kMediaFilter);
    if (!path.isEmpty()) {
      openMedia(path);
    }
  });
  open->setShortcut(QKeySequence::Open);
  file->addAction(tr("Load &checkpoint..."), panel_, &OverlayPanel::loadCheckpointClicked);
  file->addAction(tr("Use &untrained demo model"), this, [this] { loadModel(QString()); });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keys"), this, [this] {
    QMessageBox::information(this, tr("Keys"),
                             tr("Space  play / pause\n"
                                ".  ,  next / previous frame\n"
                                "[  ]  speed -10 % / +10 %\n"
                                "Backspace  normal speed\n"
                                "Left / Right  seek -5 s / +5 s\n"
                                "Ctrl+O  open media (or drop a file on the window)"));
  });
  help->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About Heardmap"),
                       tr("Heardmap: where in the picture does the sound come from?\nOpenGL: %1")
                           .arg(view_->glVersion()));
  });
}

void MainWindow::createShortcuts() {
  const auto bind = [this](const QKeySequence& key, auto&& slot) {
    auto* shortcut = new QShortcut(key, this);
    shortcut->setContext(Qt::WindowShortcut);
    connect(shortcut, &QShortcut::activated, this, slot);
  };
  bind(QKeySequence(Qt::Key_Space), [this] { controller_->togglePlay(); });
  bind(QKeySequence(Qt::Key_Period), [this] { controller_->step(1); });
  bind(QKeySequence(Qt::Key_Comma), [this] { controller_->step(-1); });
  bind(QKeySequence(Qt::Key_BracketLeft), [this] { controller_->multiplySpeed(1.0 / kSpeedStep); });
  bind(QKeySequence(Qt::Key_BracketRight), [this] { controller_->multiplySpeed(kSpeedStep); });
  bind(QKeySequence(Qt::Key_Backspace), [this] { controller_->setSpeed(1.0); });
  bind(QKeySequence(Qt::Key_Left), [this] { controller_->seekRelative(-kArrowSeekSeconds); });
  bind(QKeySequence(Qt::Key_Right), [this] { controller_->seekRelative(kArrowSeekSeconds); });
}

bool MainWindow::openMedia(const QString& path) {
  return controller_->open(path);
}

bool MainWindow::loadModel(const QString& path) {
  std::shared_ptr<LocalizationModel> model;
  try {
    model = LocalizationModel::open(path.toStdString());
  } catch (const std::exception& e) {
    showError(tr("Cannot load checkpoint:\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  const CheckpointInfo& info = model->info();
  panel_->setModel(QString::fromStdString(info.config.method + " " + info.config.variantName()),
                   info.trained, QString::fromStdString(info.source),
                   QString::fromStdString(info.contract.summary()), info.contract.placement);
  controller_->setWindowPlacement(WindowPlacement::Invalid);
  controller_->setModel(std::move(model));
  return true;
}

void MainWindow::showError(const QString& message) {
  statusBar()->showMessage(message, 10000);
  if (isVisible()) {
    QMessageBox::warning(this, tr("Heardmap"), message);
  } else {
    qWarning("%s", qPrintable(message));
  }
}

void MainWindow::showStats(const PlaybackStats& stats) {
  statsLabel_->setText(tr("%1 fps | heatmaps %2/s, %3 ms | dropped %4")
                           .arg(stats.displayFps, 0, 'f', 1)
                           .arg(stats.heatmapsPerSecond, 0, 'f', 1)
                           .arg(stats.inferenceMs, 0, 'f', 1)
                           .arg(stats.droppedFrames));
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
