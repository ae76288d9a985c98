// Playback session: decoding ahead (FramePump), the audio clock (PlaybackClock), per-frame
// inference of every view's model on the same frame (InferenceWorker, latest-wins), the audio
// each view hears (real, silence, noise, off-screen, muted mic; or the live microphone) and
// heatmap post-processing. Emits what the views show; owns no widgets.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <vector>

#include "ViewSlot.h"
#include "app/media/AudioAtRates.h"
#include "app/media/MediaInfo.h"
#include "app/pipeline/ViewSpec.h"
#include "core/DisplayHeatmap.h"
#include "core/PreprocessingContract.h"
#include "core/RgbImage.h"

namespace heardmap {

class FramePump;
class InferenceWorker;
class LocalizationModel;
class MicrophoneCapture;
class PlaybackClock;

// Once-a-second playback statistics for the status bar.
struct PlaybackStats {
  double displayFps = 0.0;
  double inferenceMs = 0.0;        // mean time of one frame for all views together
  double heatmapsPerSecond = 0.0;  // frames with a full set of maps per second
  uint64_t droppedFrames = 0;
  int views = 1;
  int visualPasses = 1;  // visual networks run per frame (views sharing one count once)
};

class PlayerController : public QObject {
  Q_OBJECT

 public:
  // Most views in the grid.
  static constexpr int kMaxViews = 6;

  explicit PlayerController(QObject* parent = nullptr);
  ~PlayerController() override;

  // Opens a clip (paused at 0). Returns false and emits errorOccurred on failure; the previous
  // clip stays open then.
  bool open(const QString& path);
  // Shows a still image as the video (for the live microphone); no file audio.
  bool openStill(const QString& path);
  bool hasMedia() const { return static_cast<bool>(pump_) || still_; }
  // Playing a video whose frames come often enough that a new map can wait for the next frame's
  // redraw instead of costing a draw of its own.
  bool framesComeOften() const;
  const MediaInfo& mediaInfo() const { return info_; }
  QString mediaPath() const { return mediaPath_; }
  bool isPlaying() const;
  double position() const;
  // The A-B loop (mpv's l): [a, b] in seconds, or nothing.
  std::optional<std::pair<double, double>> loop() const;
  double speed() const;
  QString audioStatus() const { return audioStatus_; }
  const RgbImage& currentFrame() const { return currentFrame_; }
  uint64_t heatmapsProduced() const { return heatmapsProduced_; }
  // The clip's mono audio at its own rate (for the waveform).
  const std::vector<float>& sourceAudio() const { return clipAudio_.source(); }
  int sourceRateHz() const { return clipAudio_.sourceRateHz(); }

  // Views (1..kMaxViews). New views start with the last view's model and real audio.
  int viewCount() const { return static_cast<int>(views_.size()); }
  void setViewCount(int count);
  const ViewSlot& view(int index) const { return views_.at(static_cast<size_t>(index)); }
  void setViewModel(int index, std::shared_ptr<LocalizationModel> model, const QString& path,
                    const LoadOptions& options = {});
  // The checkpoint at path did not load: the view drops its model and shows message instead.
  void setViewLoadError(int index, const QString& path, const std::string& message);
  void setViewCondition(int index, AudioCondition condition);
  // The user's name for view index, shown before its model in captions, legend and exports.
  void setViewName(int index, const QString& name);
  void setAllViewConditions(AudioCondition condition);
  // Model of view 0 (the single-view API).
  void setModel(std::shared_ptr<LocalizationModel> model);
  std::shared_ptr<LocalizationModel> model() const;
  // Audio of another clip for the off-screen probe. False + errorOccurred if it cannot be read.
  bool setOffScreenClip(const QString& path);
  QString offScreenClip() const { return offScreenPath_; }
  // The contract a view's model runs with (placement override and live mode applied).
  PreprocessingContract effectiveContract(int index) const;
  // What view index runs, for the frame job: its model, probe, overlay and window placement.
  ViewSpec viewSpec(int index) const;

  // Live microphone: the real-audio views hear a causal window ending now; the file (looping)
  // or still image gives the picture, its own audio muted. deviceIndex -1 = default input.
  bool startLive(int deviceIndex);
  void stopLive();
  bool isLive() const { return static_cast<bool>(mic_); }
  const MicrophoneCapture* microphone() const { return mic_.get(); }
  MicrophoneCapture* microphone() { return mic_.get(); }

 public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();
  void seek(double seconds);
  void seekRelative(double seconds);
  // mpv's l: the first call marks A at the position, the second B (playback then returns to A on
  // reaching B), the third clears the loop. Opening a clip clears it too.
  void cycleLoop();
  // Pauses and moves by whole frames (+1 next, -1 previous).
  void step(int frames);
  void setSpeed(double speed);
  void multiplySpeed(double factor);
  // Overlay settings of one view, or of all views (index -1).
  void setViewOverlaySettings(int index, const heardmap::OverlaySettings& settings);
  void setOverlaySettings(const heardmap::OverlaySettings& settings) {
    setViewOverlaySettings(-1, settings);
  }
  // Where the audio window sits around each frame; Invalid = the model contract's placement.
  void setWindowPlacement(heardmap::WindowPlacement placement);

 Q_SIGNALS:
  // A passing note for the status bar (the A-B loop's state).
  void statusMessage(const QString& text);
  void mediaOpened(const heardmap::MediaInfo& info, const QString& audioStatus);
  void frameReady(const heardmap::RgbImage& frame);
  void heatmapReady(int view, const heardmap::DisplayHeatmap& heatmap);
  // A view's overlay settings changed (the views' one home: the widgets follow this signal).
  void viewOverlayChanged(int view, const heardmap::OverlaySettings& settings);
  // Every view got its map for the frame at timeSeconds.
  void heatmapsUpdated(double timeSeconds);
  void viewsChanged();
  void positionChanged(double seconds);
  void playingChanged(bool playing);
  void speedChanged(double speed);
  void statsChanged(const heardmap::PlaybackStats& stats);
  void errorOccurred(const QString& message);
  void liveChanged(bool live, const QString& status);
  // Microphone level of the newest block (linear RMS and peak), about 30 times a second.
  void micLevel(float rms, float peak);

 private:
  // The GUI tick (every kTickIntervalMs) and its jobs, in order.
  void tick();
  double advanceClock();  // the clock's time, after the A-B loop and the clip's end
  void showDueFrame(double now);
  void serviceMicrophone();  // submits new audio, reports the level, notices a stalled device
  void takeResults();        // the newest maps, processed, to the views
  void reportPosition(double now);
  void reportStats();  // once a second
  void showFrame(RgbImage frame);
  void submitCurrentFrame();
  void modelsChanged();
  void replaceClock(bool muted);

  std::unique_ptr<FramePump> pump_;
  std::unique_ptr<PlaybackClock> clock_;
  std::unique_ptr<InferenceWorker> worker_;
  std::unique_ptr<MicrophoneCapture> mic_;
  std::vector<ViewSlot> views_;
  uint64_t generation_ = 0;
  MediaInfo info_;
  QString mediaPath_;
  bool still_ = false;
  QElapsedTimer positionClock_;     // since the last positionChanged
  int framesShownAtPosition_ = -1;  // framesShownInWindow_ at the last positionChanged
  AudioAtRates clipAudio_;          // the clip's audio, mono, at every rate a view's model asks for
  QString offScreenPath_;
  AudioAtRates offScreenAudio_;  // the off-screen probe's clip, likewise
  RgbImage currentFrame_;
  QString audioStatus_;
  WindowPlacement placementOverride_ = WindowPlacement::Invalid;
  QTimer timer_;
  QElapsedTimer statsClock_;
  QElapsedTimer liveSubmitClock_;
  QElapsedTimer micLevelClock_;
  uint64_t micSamplesSeen_ = 0;
  QElapsedTimer micStallClock_;
  int framesShownInWindow_ = 0;
  int heatmapsInWindow_ = 0;
  double inferenceMsSum_ = 0.0;
  int lastVisualPasses_ = 1;
  uint64_t droppedFrames_ = 0;
  uint64_t heatmapsProduced_ = 0;
  bool wasPlaying_ = false;
  std::optional<double> loopA_, loopB_;  // the A-B loop's ends (cycleLoop)
};

}  // namespace heardmap
