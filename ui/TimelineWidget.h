// Scrubbable timeline under the video: the clip's waveform with the model's audio window marked,
// a spectrogram strip of that window (what the model hears), each view's peak score over time,
// and the annotated failure ranges. Dumb: draws what it is given, emits seek requests.
#pragma once

#include <QColor>
#include <QImage>
#include <QString>
#include <QWidget>
#include <map>
#include <vector>

class QPainter;

namespace heardmap {

struct TimelineTrack {
  QString name;
  QColor color;
  std::map<int64_t, float> peakByMs;  // media time (ms) -> peak raw cosine score
};

struct TimelineMarker {
  double startSeconds = 0.0;
  double endSeconds = 0.0;
  QString label;
  bool selected = false;
};

class TimelineWidget : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineWidget(QWidget* parent = nullptr);

  void setDuration(double seconds);
  void setPosition(double seconds);
  // Mono samples (any rate): reduced here to a min/max envelope.
  void setWaveform(const std::vector<float>& samples, int sampleRateHz);
  // The model's window [start, end] in media seconds and its spectrogram picture.
  void setModelWindow(double startSeconds, double endSeconds, const QImage& spectrogram);
  void setTracks(const std::vector<TimelineTrack>& tracks);
  void setMarkers(const std::vector<TimelineMarker>& markers);
  const std::vector<TimelineMarker>& markers() const { return markers_; }
  const std::vector<TimelineTrack>& tracks() const { return tracks_; }
  bool hasModelWindow() const { return !spectrogram_.isNull(); }
  // A pending range start (I key) shown until the range is closed; negative = none.
  void setPendingStart(double seconds);

  double secondsAt(double x) const;
  double xAt(double seconds) const;
  QSize sizeHint() const override { return {800, 170}; }

 Q_SIGNALS:
  void seekRequested(double seconds);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  // The peak-score lane's y-axis (+1, 0, -1) and its legend (one swatch and name per view).
  void paintScoreAxisAndLegend(QPainter& p, const QRect& lane) const;
  void paintWaveform(QPainter& p, const QRect& wave) const;
  void paintSpectrogram(QPainter& p, const QRect& spec) const;
  void paintScoreTracks(QPainter& p, const QRect& tracks) const;
  void paintMarkers(QPainter& p, const QRect& markers, int top) const;
  double duration_ = 0.0;
  double position_ = 0.0;
  std::vector<float> envelopeMin_;
  std::vector<float> envelopeMax_;
  double windowStart_ = 0.0;
  double windowEnd_ = 0.0;
  QImage spectrogram_;
  std::vector<TimelineTrack> tracks_;
  std::vector<TimelineMarker> markers_;
  double pendingStart_ = -1.0;
};

}  // namespace heardmap
