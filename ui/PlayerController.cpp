#include "PlayerController.h"

#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "app/media/AudioTrack.h"
#include "app/media/FramePump.h"
#include "app/media/ImageLoader.h"
#include "app/media/MediaError.h"
#include "app/media/MicrophoneCapture.h"
#include "app/media/PlaybackClock.h"
#include "app/media/VideoDecoder.h"
#include "app/media/WallClockPlayback.h"
#include "app/pipeline/AudioSource.h"
#include "app/pipeline/FrameJob.h"
#include "core/AudioWindow.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"

namespace heardmap {
namespace {

// Rate of the audio sent to the sound device.
constexpr int kPlaybackRateHz = 48000;
// Frames of slack a paused player takes the picture with (VideoDecoder::seek's half a frame).
constexpr double kPausedFrameSlackFrames = 0.5;
// GUI tick: how often the clock is read and a due frame is shown.
constexpr int kTickIntervalMs = 5;
// Frame rate from which a new map waits for the next frame's redraw while playing (at 15 fps it
// waits at most 67 ms).
constexpr double kMapWaitsForFrameMinFps = 15.0;
// Longest interval between two position updates while playing.
constexpr qint64 kPositionIntervalMs = 100;
// Speed limits (mpv-like [ and ] steps multiply by 1.1).
constexpr double kMinSpeed = 0.1;
constexpr double kMaxSpeed = 4.0;
// Live mode: how often a new (frame, microphone window) pair is offered to the models.
constexpr int kLiveSubmitIntervalMs = 30;
// Live mode: the microphone ring keeps this much audio.
constexpr double kMicRingSeconds = 8.0;
// Live mode: no new microphone samples for this long = the device is gone.
constexpr int kMicStallMs = 1500;
// Interval of the micLevel signal.
constexpr int kMicLevelIntervalMs = 33;
// Still images are shown at this many frames per second (the clock's step).
constexpr double kStillFrameRate = 25.0;
// Media length given to a still image (the clock loops over it in live mode).
constexpr double kStillDurationSeconds = 3600.0;

}  // namespace

PlayerController::PlayerController(QObject* parent)
    : QObject(parent), worker_(std::make_unique<InferenceWorker>()) {
  views_.resize(1);
  timer_.setTimerType(Qt::PreciseTimer);
  timer_.setInterval(kTickIntervalMs);
  connect(&timer_, &QTimer::timeout, this, &PlayerController::tick);
  statsClock_.start();
  positionClock_.start();
  liveSubmitClock_.start();
  micLevelClock_.start();
  micStallClock_.start();
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
  still_ = false;
  info_ = decoder->info();
  loopA_.reset();  // a loop belongs to its clip
  loopB_.reset();
  mediaPath_ = path;
  clipAudio_ = AudioAtRates(std::move(track.samples), track.sampleRateHz);
  replaceClock(isLive());
  pump_ = std::make_unique<FramePump>(std::move(decoder));
  for (ViewSlot& view : views_) {
    view.processor.reset();
    view.peakByMs.clear();
    view.display = DisplayHeatmap{};
  }
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

bool PlayerController::openStill(const QString& path) {
  RgbImage frame;
  try {
    const RgbaImage image = decodeImageRgba(path.toStdString(), 1920);
    frame.width = image.width;
    frame.height = image.height;
    frame.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
    for (size_t i = 0, n = static_cast<size_t>(image.width) * image.height; i < n; ++i) {
      for (int c = 0; c < 3; ++c) {
        frame.pixels[i * 3 + c] = image.pixels[i * 4 + c];
      }
    }
  } catch (const MediaError& e) {
    Q_EMIT errorOccurred(QString::fromStdString(e.what()));
    return false;
  }
  timer_.stop();
  pump_.reset();
  still_ = true;
  info_ = MediaInfo{};
  loopA_.reset();
  loopB_.reset();
  info_.path = path.toStdString();
  info_.width = frame.width;
  info_.height = frame.height;
  info_.frameRate = kStillFrameRate;
  info_.durationSeconds = kStillDurationSeconds;
  mediaPath_ = path;
  clipAudio_ = AudioAtRates({}, kPlaybackRateHz);
  replaceClock(true);
  for (ViewSlot& view : views_) {
    view.processor.reset();
    view.peakByMs.clear();
  }
  audioStatus_ = tr("still image: no file audio");
  Q_EMIT mediaOpened(info_, audioStatus_);
  Q_EMIT playingChanged(false);
  showFrame(std::move(frame));
  timer_.start();
  return true;
}

void PlayerController::replaceClock(bool muted) {
  const double at = clock_ ? clock_->timeSeconds() : 0.0;
  const bool wasPlaying = clock_ && clock_->isPlaying();
  const double speedNow = clock_ ? clock_->speed() : 1.0;
  if (muted) {
    clock_ = std::make_unique<WallClockPlayback>(still_ ? "still image"
                                                        : "live microphone: file audio muted");
  } else {
    clock_ = openPlayback(clipAudio_.at(kPlaybackRateHz), kPlaybackRateHz);
  }
  clock_->seek(at);
  clock_->setSpeed(speedNow);
  if (wasPlaying) {
    clock_->play();
  }
}

bool PlayerController::setOffScreenClip(const QString& path) {
  try {
    AudioTrack track = decodeAudio(path.toStdString(), kPlaybackRateHz);
    if (!track.present) {
      Q_EMIT errorOccurred(tr("%1 has no audio track: it cannot be the off-screen sound")
                               .arg(QFileInfo(path).fileName()));
      return false;
    }
    offScreenAudio_ = AudioAtRates(std::move(track.samples), track.sampleRateHz);
  } catch (const MediaError& e) {
    Q_EMIT errorOccurred(QString::fromStdString(e.what()));
    return false;
  }
  offScreenPath_ = path;
  submitCurrentFrame();
  return true;
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
  if (!clock_) {
    return;
  }
  const double target = std::clamp(seconds, 0.0, std::max(0.0, info_.durationSeconds));
  clock_->seek(target);
  if (pump_) {
    pump_->seek(target);
  }
  for (ViewSlot& slot : views_) {
    slot.processor.reset();
  }
  Q_EMIT positionChanged(target);
}

std::optional<std::pair<double, double>> PlayerController::loop() const {
  if (!loopA_ || !loopB_) {
    return std::nullopt;
  }
  return std::pair{*loopA_, *loopB_};
}

void PlayerController::cycleLoop() {
  const double t = position();
  if (!loopA_) {
    loopA_ = t;
    Q_EMIT statusMessage(tr("A-B loop: A at %1 s (l again marks B)").arg(t, 0, 'f', 2));
  } else if (!loopB_ && t > *loopA_) {
    loopB_ = t;
    Q_EMIT statusMessage(
        tr("A-B loop: %1 - %2 s (l again clears it)").arg(*loopA_, 0, 'f', 2).arg(t, 0, 'f', 2));
  } else {
    loopA_.reset();
    loopB_.reset();
    Q_EMIT statusMessage(tr("A-B loop cleared"));
  }
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

bool PlayerController::startLive(int deviceIndex) {
  std::unique_ptr<MicrophoneCapture> mic;
  try {
    int rate = 0;
    if (const std::shared_ptr<LocalizationModel> first = model()) {
      rate = first->contract().sampleRateHz;  // ask for the model's rate; the device may resample
    }
    try {
      mic = std::make_unique<MicrophoneCapture>(deviceIndex, rate, kMicRingSeconds);
    } catch (const MediaError&) {
      if (rate == 0) {
        throw;
      }
      mic = std::make_unique<MicrophoneCapture>(deviceIndex, 0, kMicRingSeconds);
    }
  } catch (const MediaError& e) {
    const QString message = QString::fromStdString(e.what());
    Q_EMIT liveChanged(false, message);
    Q_EMIT errorOccurred(message);
    return false;
  }
  mic_ = std::move(mic);
  micSamplesSeen_ = 0;
  micStallClock_.restart();
  if (hasMedia() && !still_) {
    replaceClock(true);
  }
  for (ViewSlot& slot : views_) {
    slot.processor.reset();
  }
  if (clock_ && !clock_->isPlaying()) {
    play();  // live means running
  }
  Q_EMIT liveChanged(true, QString::fromStdString(mic_->description()));
  return true;
}

void PlayerController::stopLive() {
  if (!mic_) {
    return;
  }
  mic_.reset();
  if (hasMedia() && !still_) {
    replaceClock(false);
  }
  for (ViewSlot& slot : views_) {
    slot.processor.reset();
  }
  Q_EMIT liveChanged(false, tr("microphone off"));
  submitCurrentFrame();
}

bool PlayerController::framesComeOften() const {
  return pump_ && !still_ && isPlaying() && info_.frameRate >= kMapWaitsForFrameMinFps;
}

void PlayerController::showFrame(RgbImage frame) {
  currentFrame_ = std::move(frame);
  ++framesShownInWindow_;
  Q_EMIT frameReady(currentFrame_);
  submitCurrentFrame();
}

void PlayerController::tick() {
  // The clock is master: each tick reads it once and does five things with that time.
  if (!clock_) {
    return;
  }
  const double now = advanceClock();
  showDueFrame(now);
  if (mic_) {
    serviceMicrophone();
  }
  takeResults();
  reportPosition(now);
  reportStats();
}

double PlayerController::advanceClock() {
  double now = clock_->timeSeconds();
  if (clock_->isPlaying() && loopB_ && now >= *loopB_) {
    seek(*loopA_);  // the A-B loop: back to A
    now = *loopA_;
  }
  if (clock_->isPlaying() && now >= info_.durationSeconds && info_.durationSeconds > 0) {
    if (isLive()) {
      seek(0.0);  // live: the picture loops under the microphone
      now = 0.0;
    } else {
      clock_->pause();
      clock_->seek(info_.durationSeconds);
      now = info_.durationSeconds;
      Q_EMIT playingChanged(false);
    }
  }
  return now;
}

void PlayerController::showDueFrame(double now) {
  int skipped = 0;
  if (pump_) {
    // Paused, the picture is the frame nearest the clock, as the decoder's seek picks it: at
    // 29.97 fps a seek to 2 s lands on the frame of 2.002 s, which "due by now" never shows.
    const double due =
        clock_->isPlaying() ? now : now + kPausedFrameSlackFrames / std::max(1.0, info_.frameRate);
    if (std::optional<RgbImage> frame = pump_->takeFrameFor(due, &skipped)) {
      droppedFrames_ += static_cast<uint64_t>(skipped);
      showFrame(std::move(*frame));
    }
  } else if (still_ && !currentFrame_.empty()) {
    currentFrame_.timeSeconds = now;
  }
}

void PlayerController::serviceMicrophone() {
  if (liveSubmitClock_.elapsed() >= kLiveSubmitIntervalMs) {
    liveSubmitClock_.restart();
    submitCurrentFrame();  // new microphone audio under the frame on screen
  }
  if (micLevelClock_.elapsed() >= kMicLevelIntervalMs) {
    micLevelClock_.restart();
    Q_EMIT micLevel(mic_->blockRms(), mic_->blockPeak());
  }
  const uint64_t captured = mic_->samplesCaptured();
  if (captured != micSamplesSeen_) {
    micSamplesSeen_ = captured;
    micStallClock_.restart();
  }
  if (!mic_->isRunning() || micStallClock_.elapsed() > kMicStallMs) {
    const QString reason = mic_->isRunning() ? tr("the microphone delivers no audio")
                                             : QString::fromStdString(mic_->errorText());
    stopLive();
    Q_EMIT errorOccurred(tr("%1: back to the file's audio").arg(reason));
  }
}

void PlayerController::takeResults() {
  std::optional<InferenceResult> result = worker_->takeResult();
  if (!result) {
    return;
  }
  ++heatmapsInWindow_;
  ++heatmapsProduced_;
  inferenceMsSum_ += result->totalMs;
  lastVisualPasses_ = result->visualPasses;
  const size_t count = std::min(result->heatmaps.size(), views_.size());
  for (size_t i = 0; i < count; ++i) {
    ViewSlot& slot = views_[i];
    if (!result->errors[i].empty()) {
      slot.error = result->errors[i];
    } else if (!result->heatmaps[i].empty()) {
      slot.error.clear();
    }
    if (result->heatmaps[i].empty()) {
      continue;
    }
    slot.raw = std::move(result->heatmaps[i]);
    slot.display = slot.processor.process(slot.raw);
    slot.peakByMs[std::llround(result->timeSeconds * 1000.0)] = slot.raw.rawMax;
    Q_EMIT heatmapReady(static_cast<int>(i), slot.display);
  }
  Q_EMIT heatmapsUpdated(result->timeSeconds);
}

void PlayerController::reportPosition(double now) {
  // Playing, the position moves with the frames shown (or every kPositionIntervalMs): the
  // transport and timeline repaint the window, which costs a composition of every view.
  const bool frameShown = framesShownInWindow_ != framesShownAtPosition_;
  if (clock_->isPlaying() != wasPlaying_ ||
      (clock_->isPlaying() &&
       (frameShown || positionClock_.elapsed() >= kPositionIntervalMs || !pump_))) {
    framesShownAtPosition_ = framesShownInWindow_;
    positionClock_.restart();
    Q_EMIT positionChanged(now);
  }
  wasPlaying_ = clock_->isPlaying();
}

void PlayerController::reportStats() {
  const qint64 elapsedMs = statsClock_.elapsed();
  if (elapsedMs >= 1000) {
    PlaybackStats stats;
    stats.displayFps = framesShownInWindow_ * 1000.0 / static_cast<double>(elapsedMs);
    stats.heatmapsPerSecond = heatmapsInWindow_ * 1000.0 / static_cast<double>(elapsedMs);
    stats.inferenceMs = heatmapsInWindow_ > 0 ? inferenceMsSum_ / heatmapsInWindow_ : 0.0;
    stats.droppedFrames = droppedFrames_;
    stats.views = viewCount();
    stats.visualPasses = lastVisualPasses_;
    Q_EMIT statsChanged(stats);
    framesShownInWindow_ = 0;
    heatmapsInWindow_ = 0;
    inferenceMsSum_ = 0.0;
    statsClock_.restart();
  }
}

}  // namespace heardmap
