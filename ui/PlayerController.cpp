#include "PlayerController.h"

#include <algorithm>
#include <cmath>

#include "app/media/AudioTrack.h"
#include "app/media/FramePump.h"
#include "app/media/MediaError.h"
#include "app/media/PlaybackClock.h"
#include "app/media/VideoDecoder.h"
#include "core/AudioWindow.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Rate of the audio sent to the sound device.
constexpr int kPlaybackRateHz = 48000;
// GUI tick: how often the clock is read and a due frame is shown.
constexpr int kTickIntervalMs = 5;
// Speed limits (mpv-like [ and ] steps multiply by 1.1).
constexpr double kMinSpeed = 0.1;
constexpr double kMaxSpeed = 4.0;

}  // namespace

PlayerController::PlayerController(QObject* parent)
    : QObject(parent), worker_(std::make_unique<InferenceWorker>()) {
  timer_.setTimerType(Qt::PreciseTimer);
  timer_.setInterval(kTickIntervalMs);
  connect(&timer_, &QTimer::timeout, this, &PlayerController::tick);
  statsClock_.start();
}

PlayerController::~PlayerController() = default;

bool PlayerController::open(const QString& path) {
  const std::string file = path.toStdString();
  std::unique_ptr<VideoDecoder> decoder;
  AudioTrack track;
  try {
    decoder = std::make_unique<VideoDecoder>(file);
    const MediaInfo& probed = decoder->info();
    const int rate = probed.hasAudio && probed.audioSampleRateHz > 0 ? probed.audioSampleRateHz
                                                                     : kPlaybackRateHz;
    track = decodeAudio(file, rate, probed.durationSeconds);
  } catch (const MediaError& e) {
    Q_EMIT errorOccurred(QString::fromStdString(e.what()));
    return false;
  }
  timer_.stop();
  pump_.reset();
  clock_.reset();
  info_ = decoder->info();
  sourceAudio_ = std::move(track.samples);
  sourceRateHz_ = track.sampleRateHz;
  auto playback = std::make_shared<const std::vector<float>>(
      resampleMono(sourceAudio_, sourceRateHz_, kPlaybackRateHz));
  clock_ = openPlayback(playback, kPlaybackRateHz);
  refreshModelAudio();
  pump_ = std::make_unique<FramePump>(std::move(decoder));
  processor_.reset();
  droppedFrames_ = 0;
  currentFrame_ = RgbImage{};

  QStringList status;
  status << QString::fromStdString(clock_->description());
  if (!track.present) {
    status << tr("no audio track: playing silence, the model hears silence");
  } else if (!track.warning.empty()) {
    status << QString::fromStdString(track.warning);
  }
  audioStatus_ = status.join(QStringLiteral("; "));
  Q_EMIT mediaOpened(info_, audioStatus_);
  Q_EMIT playingChanged(false);
  Q_EMIT speedChanged(clock_->speed());
  timer_.start();
  return true;
}

void PlayerController::refreshModelAudio() {
  const std::shared_ptr<LocalizationModel> current = worker_->model();
  if (!current || sourceRateHz_ <= 0) {
    modelAudio_.clear();
    return;
  }
  modelAudio_ = resampleMono(sourceAudio_, sourceRateHz_, current->contract().sampleRateHz);
}

void PlayerController::setModel(std::shared_ptr<LocalizationModel> model) {
  worker_->setModel(std::move(model));
  processor_.reset();
  refreshModelAudio();
  if (!currentFrame_.empty()) {
    showFrame(currentFrame_);  // recompute the heatmap of the frame on screen
  }
}

std::shared_ptr<LocalizationModel> PlayerController::model() const {
  return worker_->model();
}

bool PlayerController::isPlaying() const {
  return clock_ && clock_->isPlaying();
}

double PlayerController::position() const {
  return clock_ ? clock_->timeSeconds() : 0.0;
}

double PlayerController::speed() const {
  return clock_ ? clock_->speed() : 1.0;
}

void PlayerController::play() {
  if (!clock_) {
    return;
  }
  if (clock_->timeSeconds() >= info_.durationSeconds - 1e-3) {
    seek(0.0);  // play at the end restarts, as players do
  }
  clock_->play();
  Q_EMIT playingChanged(true);
}

void PlayerController::pause() {
  if (!clock_) {
    return;
  }
  clock_->pause();
  Q_EMIT playingChanged(false);
}

void PlayerController::togglePlay() {
  isPlaying() ? pause() : play();
}

void PlayerController::seek(double seconds) {
  if (!pump_) {
    return;
  }
  const double target = std::clamp(seconds, 0.0, std::max(0.0, info_.durationSeconds));
  clock_->seek(target);
  pump_->seek(target);
  processor_.reset();
  Q_EMIT positionChanged(target);
}

void PlayerController::seekRelative(double seconds) {
  seek(position() + seconds);
}

void PlayerController::step(int frames) {
  if (!pump_) {
    return;
  }
  pause();
  if (frames > 0) {
    // Frames at or before the one on screen (e.g. the target frame of a seek still queued) are
    // not steps.
    double shown = currentFrame_.empty() ? -1.0 : currentFrame_.timeSeconds;
    for (int i = 0; i < frames; ++i) {
      std::optional<RgbImage> next;
      do {
        next = pump_->takeNextFrame();
      } while (next && next->timeSeconds <= shown + 1e-6);
      if (!next) {
        return;
      }
      shown = next->timeSeconds;
      clock_->seek(shown);
      if (i + 1 == frames) {
        showFrame(std::move(*next));
      }
    }
  } else {
    const double base = currentFrame_.empty() ? position() : currentFrame_.timeSeconds;
    seek(base + frames / std::max(1.0, info_.frameRate));
  }
  Q_EMIT positionChanged(position());
}

void PlayerController::setSpeed(double speed) {
  if (!clock_) {
    return;
  }
  clock_->setSpeed(std::clamp(speed, kMinSpeed, kMaxSpeed));
  Q_EMIT speedChanged(clock_->speed());
}

void PlayerController::multiplySpeed(double factor) {
  setSpeed(speed() * factor);
}

void PlayerController::setOverlaySettings(const OverlaySettings& settings) {
  processor_.setSettings(settings);
  const DisplayHeatmap current = processor_.current();
  if (!current.empty()) {
    Q_EMIT heatmapReady(current);
  }
}

void PlayerController::setWindowPlacement(WindowPlacement placement) {
  placementOverride_ = placement;
  processor_.reset();
  if (!currentFrame_.empty()) {
    showFrame(currentFrame_);
  }
}

void PlayerController::showFrame(RgbImage frame) {
  currentFrame_ = std::move(frame);
  ++framesShownInWindow_;
  Q_EMIT frameReady(currentFrame_);
  if (const std::shared_ptr<LocalizationModel> current = worker_->model()) {
    InferenceRequest request;
    request.frame = currentFrame_;
    PreprocessingContract contract = current->contract();
    if (placementOverride_ != WindowPlacement::Invalid) {
      contract.placement = placementOverride_;
    }
    request.audioWindow = cutAudioWindow(modelAudio_, currentFrame_.timeSeconds, contract);
    worker_->submit(std::move(request));
  }
}

void PlayerController::tick() {
  if (!pump_) {
    return;
  }
  double now = clock_->timeSeconds();
  if (clock_->isPlaying() && now >= info_.durationSeconds && info_.durationSeconds > 0) {
    clock_->pause();
    clock_->seek(info_.durationSeconds);
    now = info_.durationSeconds;
    Q_EMIT playingChanged(false);
  }
  int skipped = 0;
  if (std::optional<RgbImage> frame = pump_->takeFrameFor(now, &skipped)) {
    droppedFrames_ += static_cast<uint64_t>(skipped);
    showFrame(std::move(*frame));
  }
  if (std::optional<Heatmap> heatmap = worker_->takeResult()) {
    ++heatmapsInWindow_;
    ++heatmapsProduced_;
    inferenceMsSum_ += heatmap->inferenceMs;
    Q_EMIT heatmapReady(processor_.process(*heatmap));
  }
  if (clock_->isPlaying() || clock_->isPlaying() != wasPlaying_) {
    Q_EMIT positionChanged(now);
  }
  wasPlaying_ = clock_->isPlaying();
  const qint64 elapsedMs = statsClock_.elapsed();
  if (elapsedMs >= 1000) {
    PlaybackStats stats;
    stats.displayFps = framesShownInWindow_ * 1000.0 / static_cast<double>(elapsedMs);
    stats.heatmapsPerSecond = heatmapsInWindow_ * 1000.0 / static_cast<double>(elapsedMs);
    stats.inferenceMs = heatmapsInWindow_ > 0 ? inferenceMsSum_ / heatmapsInWindow_ : 0.0;
    stats.droppedFrames = droppedFrames_;
    Q_EMIT statsChanged(stats);
    framesShownInWindow_ = 0;
    heatmapsInWindow_ = 0;
    inferenceMsSum_ = 0.0;
    statsClock_.restart();
  }
}

}  // namespace heardmap
