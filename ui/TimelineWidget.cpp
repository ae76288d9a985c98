#include "TimelineWidget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// Columns of the waveform envelope.
constexpr int kEnvelopeColumns = 2048;
// Left margin for the row labels, in pixels.
constexpr int kLabelWidthPx = 74;
// Side of a legend swatch of the peak-score lane.
constexpr int kLegendSwatchPx = 8;
// Row heights, in pixels.
constexpr int kWaveRowPx = 44;
constexpr int kSpectrogramRowPx = 40;
// Narrowest drawing of the window's spectrogram (long clips make the window's span tiny).
constexpr double kMinSpectrogramPx = 160.0;

}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
  setMinimumHeight(160);
  setMouseTracking(false);
  setToolTip(
      tr("Click or drag to seek. Rows: waveform (model window shaded), spectrogram of the "
         "window the model hears, peak score per view, annotated failures."));
}

void TimelineWidget::setDuration(double seconds) {
  duration_ = std::max(0.0, seconds);
  update();
}

void TimelineWidget::setPosition(double seconds) {
  position_ = seconds;
  update();
}

void TimelineWidget::setWaveform(const std::vector<float>& samples, int sampleRateHz) {
  (void)sampleRateHz;
  envelopeMin_.assign(kEnvelopeColumns, 0.0f);
  envelopeMax_.assign(kEnvelopeColumns, 0.0f);
  if (samples.empty()) {
    update();
    return;
  }
  for (int c = 0; c < kEnvelopeColumns; ++c) {
    const size_t a = samples.size() * static_cast<size_t>(c) / kEnvelopeColumns;
    const size_t b =
        std::max(a + 1, samples.size() * static_cast<size_t>(c + 1) / kEnvelopeColumns);
    float lo = 0.0f;
    float hi = 0.0f;
    for (size_t i = a; i < std::min(b, samples.size()); ++i) {
      lo = std::min(lo, samples[i]);
      hi = std::max(hi, samples[i]);
    }
    envelopeMin_[static_cast<size_t>(c)] = lo;
    envelopeMax_[static_cast<size_t>(c)] = hi;
  }
  update();
}

void TimelineWidget::setModelWindow(double startSeconds, double endSeconds,
                                    const QImage& spectrogram) {
  windowStart_ = startSeconds;
  windowEnd_ = endSeconds;
  spectrogram_ = spectrogram;
  update();
}

void TimelineWidget::setTracks(const std::vector<TimelineTrack>& tracks) {
  tracks_ = tracks;
  update();
}

void TimelineWidget::setMarkers(const std::vector<TimelineMarker>& markers) {
  markers_ = markers;
  update();
}

void TimelineWidget::setPendingStart(double seconds) {
  pendingStart_ = seconds;
  update();
}

double TimelineWidget::xAt(double seconds) const {
  const double width = std::max(1, this->width() - kLabelWidthPx - 4);
  return kLabelWidthPx + (duration_ > 0.0 ? seconds / duration_ : 0.0) * width;
}

double TimelineWidget::secondsAt(double x) const {
  const double width = std::max(1, this->width() - kLabelWidthPx - 4);
  return std::clamp((x - kLabelWidthPx) / width, 0.0, 1.0) * duration_;
}

void TimelineWidget::paintScoreAxisAndLegend(QPainter& p, const QRect& lane) const {
  // The y-axis: raw cosine +1 at the top, 0 in the middle, -1 at the bottom.
  const QFontMetrics metrics(p.font());
  p.setPen(QColor(150, 150, 150));
  for (const auto& [value, label] : {std::pair{1.0, "+1"}, {0.0, "0"}, {-1.0, "-1"}}) {
    const int y = static_cast<int>(lane.bottom() - (value + 1.0) / 2.0 * lane.height());
    const int top =
        std::clamp(y - metrics.height() / 2, lane.top(), lane.bottom() - metrics.height());
    p.drawText(QRect(lane.left() - 18, top, 16, metrics.height()), Qt::AlignRight, label);
  }
  // The legend: one swatch and name per view, left to right along the lane's top. When the names
  // do not all fit, each gets an equal share of the width, elided: every view stays named.
  const int padding = kLegendSwatchPx + 4 + 10;
  int needed = 0;
  for (const TimelineTrack& track : tracks_) {
    needed += padding + metrics.horizontalAdvance(track.name);
  }
  const int available = lane.width() - 8;
  const int share = tracks_.empty() ? 0 : available / static_cast<int>(tracks_.size());
  int x = lane.left() + 4;
  for (const TimelineTrack& track : tracks_) {
    const QString name = needed <= available ? track.name
                                             : metrics.elidedText(track.name, Qt::ElideRight,
                                                                  std::max(0, share - padding));
    const int w = padding + metrics.horizontalAdvance(name);
    p.fillRect(QRect(x - 2, lane.top() + 1, w - 4, metrics.height() + 2), QColor(20, 20, 24, 210));
    p.fillRect(QRect(x, lane.top() + 3, kLegendSwatchPx, kLegendSwatchPx), track.color);
    p.setPen(QColor(220, 220, 220));
    p.drawText(x + kLegendSwatchPx + 4, lane.top() + 2 + metrics.ascent(), name);
    x += w;
  }
}

// The waveform, the window the model hears shaded.
void TimelineWidget::paintWaveform(QPainter& p, const QRect& wave) const {
  const int plotWidth = wave.width();
  p.fillRect(wave, QColor(20, 20, 24));
  if (duration_ > 0.0 && windowEnd_ > windowStart_) {
    const double a = xAt(std::max(0.0, windowStart_));
    const double b = xAt(std::min(duration_, windowEnd_));
    p.fillRect(QRectF(a, wave.y(), std::max(1.0, b - a), wave.height()), QColor(60, 90, 140));
  }
  if (!envelopeMax_.empty()) {
    p.setPen(QColor(120, 200, 140));
    const double mid = wave.center().y();
    const double half = wave.height() / 2.0 - 1.0;
    for (int x = 0; x < plotWidth; ++x) {
      const size_t c =
          static_cast<size_t>(x) * envelopeMax_.size() / static_cast<size_t>(plotWidth);
      p.drawLine(QPointF(wave.x() + x, mid - envelopeMax_[c] * half),
                 QPointF(wave.x() + x, mid - envelopeMin_[c] * half));
    }
  }
}

// The spectrogram of the window the model hears, under the window on the time axis.
void TimelineWidget::paintSpectrogram(QPainter& p, const QRect& spec) const {
  p.fillRect(spec, QColor(20, 20, 24));
  if (!spectrogram_.isNull()) {
    // Under the window's span on the time axis, at least kMinSpectrogramPx wide.
    double a = xAt(windowStart_);
    double b = xAt(windowEnd_);
    if (b - a < kMinSpectrogramPx) {
      const double mid = (a + b) / 2.0;
      a = mid - kMinSpectrogramPx / 2.0;
      b = mid + kMinSpectrogramPx / 2.0;
    }
    a = std::max<double>(a, spec.left());
    b = std::min<double>(b, spec.right());
    p.drawImage(QRectF(a, spec.top(), std::max(1.0, b - a), spec.height()), spectrogram_);
    p.setPen(QColor(230, 230, 230));
    p.drawText(spec.adjusted(4, 0, -4, 0), Qt::AlignRight | Qt::AlignTop,
               tr("%1 - %2 s").arg(windowStart_, 0, 'f', 2).arg(windowEnd_, 0, 'f', 2));
  }
}

// Each view's peak raw score over time: -1 at the bottom, +1 at the top.
void TimelineWidget::paintScoreTracks(QPainter& p, const QRect& tracks) const {
  p.fillRect(tracks, QColor(20, 20, 24));
  p.setPen(QColor(60, 60, 66));
  p.drawLine(tracks.left(), tracks.center().y(), tracks.right(), tracks.center().y());
  p.setRenderHint(QPainter::Antialiasing);
  for (const TimelineTrack& track : tracks_) {
    QPainterPath path;
    bool started = false;
    double lastMs = -1e9;
    for (const auto& [ms, peak] : track.peakByMs) {
      const QPointF point(
          xAt(ms / 1000.0),
          tracks.bottom() - (std::clamp(peak, -1.0f, 1.0f) + 1.0) / 2.0 * tracks.height());
      if (!started || ms - lastMs > 500.0) {
        path.moveTo(point);  // a gap (seek) breaks the line
        started = true;
      } else {
        path.lineTo(point);
      }
      lastMs = static_cast<double>(ms);
    }
    p.setPen(QPen(track.color, 1.5));
    p.drawPath(path);
    if (track.peakByMs.size() < 3) {  // single maps (paused, stepping): dots
      p.setBrush(track.color);
      for (const auto& [ms, peak] : track.peakByMs) {
        p.drawEllipse(
            QPointF(xAt(ms / 1000.0), tracks.bottom() - (std::clamp(peak, -1.0f, 1.0f) + 1.0) /
                                                            2.0 * tracks.height()),
            2.5, 2.5);
      }
      p.setBrush(Qt::NoBrush);
    }
  }
  p.setRenderHint(QPainter::Antialiasing, false);
  paintScoreAxisAndLegend(p, tracks);
}

// The failure records as ranges, and the pending range start (a dashed line from top).
void TimelineWidget::paintMarkers(QPainter& p, const QRect& markers, int top) const {
  p.fillRect(markers, QColor(20, 20, 24));
  for (const TimelineMarker& marker : markers_) {
    const double a = xAt(marker.startSeconds);
    const double b = std::max(a + 3.0, xAt(marker.endSeconds));
    const QRectF r(a, markers.y(), b - a, markers.height());
    p.fillRect(r, marker.selected ? QColor(255, 210, 0) : QColor(220, 80, 60));
    p.setPen(Qt::black);
    p.drawText(r.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, marker.label);
  }
  if (pendingStart_ >= 0.0) {
    p.setPen(QPen(QColor(255, 210, 0), 2.0, Qt::DashLine));
    p.drawLine(QPointF(xAt(pendingStart_), top), QPointF(xAt(pendingStart_), markers.bottom()));
  }
}

void TimelineWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(30, 30, 34));
  const int right = width() - 4;
  const int plotWidth = right - kLabelWidthPx;
  const int trackRowPx = std::max(20, height() - kWaveRowPx - kSpectrogramRowPx - 26);
  const QRect wave(kLabelWidthPx, 2, plotWidth, kWaveRowPx);
  const QRect spec(kLabelWidthPx, wave.bottom() + 3, plotWidth, kSpectrogramRowPx);
  const QRect tracks(kLabelWidthPx, spec.bottom() + 3, plotWidth, trackRowPx);
  const QRect markers(kLabelWidthPx, tracks.bottom() + 3, plotWidth, 14);

  p.setPen(QColor(170, 170, 170));
  QFont font = p.font();
  font.setPointSizeF(8.0);
  p.setFont(font);
  p.drawText(QRect(2, wave.y(), kLabelWidthPx - 4, wave.height()), Qt::AlignVCenter, tr("audio"));
  p.drawText(QRect(2, spec.y(), kLabelWidthPx - 4, spec.height()),
             Qt::AlignVCenter | Qt::TextWordWrap, tr("model hears"));
  p.drawText(QRect(2, tracks.y(), kLabelWidthPx - 4, tracks.height()), Qt::AlignVCenter,
             tr("peak score"));
  p.drawText(QRect(2, markers.y(), kLabelWidthPx - 4, markers.height()), Qt::AlignVCenter,
             tr("failures"));
  paintWaveform(p, wave);
  paintSpectrogram(p, spec);
  paintScoreTracks(p, tracks);
  paintMarkers(p, markers, wave.top());

  // Playhead.
  if (duration_ > 0.0) {
    p.setPen(QPen(Qt::white, 1.5));
    const double x = xAt(position_);
    p.drawLine(QPointF(x, 0), QPointF(x, height()));
  }
}

void TimelineWidget::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && duration_ > 0.0 &&
      event->position().x() >= kLabelWidthPx) {
    Q_EMIT seekRequested(secondsAt(event->position().x()));
  }
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event) {
  if ((event->buttons() & Qt::LeftButton) && duration_ > 0.0) {
    Q_EMIT seekRequested(secondsAt(event->position().x()));
  }
}

}  // namespace heardmap
