// Playback session for one clip: decoding ahead (FramePump), the audio clock (PlaybackClock),
// per-frame inference (InferenceWorker, latest-wins) and heatmap post-processing. Emits what the
// views show; owns no widgets.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

#include "app/media/MediaInfo.h"
#include "core/DisplayHeatmap.h"
#include "core/HeatmapProcessor.h"
#include "core/PreprocessingContract.h"
#include "core/RgbImage.h"

namespace heardmap {

class FramePump;
class InferenceWorker;
class LocalizationModel;
class PlaybackClock;

// Once-a-second playback statistics for the status bar.
struct PlaybackStats {
  double displayFps = 0.0;
  double inferenceMs = 0.0;
  double heatmapsPerSecond = 0.0;
  uint64_t droppedFrames = 0;
};

class PlayerController : public QObject {
  Q_OBJECT

 public:
  explicit PlayerController(QObject* parent = nullptr);
  ~PlayerController() override;

  // Opens a clip (paused at 0). Returns false and emits errorOccurred on failure; the previous
  // clip stays open then.
  bool open(const QString& path);
  void setModel(std::shared_ptr<LocalizationModel> model);
  std::shared_ptr<LocalizationModel> model() const;

  bool hasMedia() const { return static_cast<bool>(pump_); }
  const MediaInfo& mediaInfo() const { return info_; }
  bool isPlaying() const;
  double position() const;
  double speed() const;
  QString audioStatus() const { return audioStatus_; }
  const RgbImage& currentFrame() const { return currentFrame_; }
  uint64_t heatmapsProduced() const { return heatmapsProduced_; }

 public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();
  void seek(double seconds);
  void seekRelative(double seconds);
  // Pauses and moves by whole frames (+1 next, -1 previous).
  void step(int frames);
  void setSpeed(double speed);
  void multiplySpeed(double factor);
  void setOverlaySettings(const heardmap::OverlaySettings& settings);
  // Where the audio window sits around each frame; Invalid = the model contract's placement.
  void setWindowPlacement(heardmap::WindowPlacement placement);

 Q_SIGNALS:
  void mediaOpened(const heardmap::MediaInfo& info, const QString& audioStatus);
  void frameReady(const heardmap::RgbImage& frame);
  void heatmapReady(const heardmap::DisplayHeatmap& heatmap);
  void positionChanged(double seconds);
  void playingChanged(bool playing);
  void speedChanged(double speed);
  void statsChanged(const heardmap::PlaybackStats& stats);
  void errorOccurred(const QString& message);

 private:
  void tick();
  void showFrame(RgbImage frame);
  void refreshModelAudio();

  std::unique_ptr<FramePump> pump_;
  std::unique_ptr<PlaybackClock> clock_;
  std::unique_ptr<InferenceWorker> worker_;
  MediaInfo info_;
  std::vector<float> sourceAudio_;  // mono at sourceRateHz_
  int sourceRateHz_ = 0;
  std::vector<float> modelAudio_;  // mono at the model contract's rate
  HeatmapProcessor processor_;
  RgbImage currentFrame_;
  QString audioStatus_;
  WindowPlacement placementOverride_ = WindowPlacement::Invalid;
  QTimer timer_;
  QElapsedTimer statsClock_;
  int framesShownInWindow_ = 0;
  int heatmapsInWindow_ = 0;
  double inferenceMsSum_ = 0.0;
  uint64_t droppedFrames_ = 0;
  uint64_t heatmapsProduced_ = 0;
  bool wasPlaying_ = false;
};

}  // namespace heardmap
