#include "TransportBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <cmath>

namespace heardmap {
namespace {

// Seek bar resolution: slider units per second.
constexpr int kSliderUnitsPerSecond = 100;

QString formatTime(double seconds) {
  const int totalMs = static_cast<int>(std::lround(std::max(0.0, seconds) * 1000.0));
  return QStringLiteral("%1:%2.%3")
      .arg(totalMs / 60000)
      .arg((totalMs / 1000) % 60, 2, 10, QLatin1Char('0'))
      .arg((totalMs % 1000) / 10, 2, 10, QLatin1Char('0'));
}

}  // namespace

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
  playButton_ = new QPushButton(this);
  backButton_ =
      new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekBackward), QString(), this);
  forwardButton_ =
      new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekForward), QString(), this);
  backButton_->setToolTip(tr("Previous frame (,)"));
  forwardButton_->setToolTip(tr("Next frame (.)"));
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName("seekSlider");
  timeEdit_ = new QLineEdit(this);
  timeEdit_->setObjectName("goToTime");
  timeEdit_->setToolTip(tr("Go to a time: type 83.5, 1:23.5 or 0:01:23.5 and press Enter"));
  timeEdit_->setMaximumWidth(timeEdit_->fontMetrics().horizontalAdvance("00:00:00.00") + 16);
  timeEdit_->setAlignment(Qt::AlignRight);
  timeLabel_ = new QLabel(this);
  speedLabel_ = new QLabel(this);
  speedLabel_->setToolTip(tr("Playback speed ([ and ] change it by 10 %)"));
  for (QWidget* w : {static_cast<QWidget*>(playButton_), static_cast<QWidget*>(backButton_),
                     static_cast<QWidget*>(forwardButton_), static_cast<QWidget*>(slider_)}) {
    w->setFocusPolicy(Qt::NoFocus);  // keys belong to the window's shortcuts (Space, arrows)
  }
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  layout->addWidget(backButton_);
  layout->addWidget(playButton_);
  layout->addWidget(forwardButton_);
  layout->addWidget(slider_, 1);
  layout->addWidget(timeEdit_);
  layout->addWidget(timeLabel_);
  layout->addWidget(speedLabel_);

  connect(playButton_, &QPushButton::clicked, this, &TransportBar::playPauseClicked);
  connect(backButton_, &QPushButton::clicked, this, [this] { Q_EMIT stepRequested(-1); });
  connect(forwardButton_, &QPushButton::clicked, this, [this] { Q_EMIT stepRequested(1); });
  connect(slider_, &QSlider::sliderMoved, this, [this](int value) {
    Q_EMIT seekRequested(static_cast<double>(value) / kSliderUnitsPerSecond);
  });
  connect(slider_, &QSlider::actionTriggered, this, [this](int action) {
    if (action == QAbstractSlider::SliderPageStepAdd ||
        action == QAbstractSlider::SliderPageStepSub ||
        action == QAbstractSlider::SliderSingleStepAdd ||
        action == QAbstractSlider::SliderSingleStepSub) {
      Q_EMIT seekRequested(static_cast<double>(slider_->sliderPosition()) / kSliderUnitsPerSecond);
    }
  });
  connect(timeEdit_, &QLineEdit::returnPressed, this, [this] {
    const std::optional<double> seconds = parseTime(timeEdit_->text());
    if (!seconds) {
      timeEdit_->setStyleSheet("QLineEdit { border: 1px solid #d93025; }");
      return;
    }
    timeEdit_->setStyleSheet({});
    timeEdit_->clearFocus();  // the keys go back to the window's shortcuts
    Q_EMIT seekRequested(std::min(*seconds, durationSeconds_));
  });
  setPlaying(false);
  setSpeed(1.0);
  setPosition(0.0);
}

void TransportBar::setDuration(double seconds) {
  durationSeconds_ = seconds;
  slider_->setRange(0, static_cast<int>(seconds * kSliderUnitsPerSecond));
  slider_->setPageStep(5 * kSliderUnitsPerSecond);
  slider_->setSingleStep(kSliderUnitsPerSecond);
}

void TransportBar::setPosition(double seconds) {
  if (!slider_->isSliderDown()) {
    const QSignalBlocker blocker(slider_);
    slider_->setValue(static_cast<int>(seconds * kSliderUnitsPerSecond));
  }
  if (!timeEdit_->hasFocus()) {  // not while the user types a time
    timeEdit_->setText(formatTime(seconds));
  }
  timeLabel_->setText(" / " + formatTime(durationSeconds_));
}

std::optional<double> TransportBar::parseTime(const QString& text) {
  const QStringList parts = text.trimmed().split(':');
  if (parts.size() > 3) {
    return std::nullopt;
  }
  double seconds = 0.0;
  for (int i = 0; i < parts.size(); ++i) {
    bool ok = false;
    const double value = parts[i].toDouble(&ok);
    // Every part but the last a whole number; minutes and seconds after a colon below 60.
    const bool last = i + 1 == parts.size();
    if (!ok || !std::isfinite(value) || value < 0.0 || (!last && value != std::floor(value)) ||
        (i > 0 && value >= 60.0)) {
      return std::nullopt;
    }
    seconds = seconds * 60.0 + value;
  }
  return seconds;
}

void TransportBar::setPlaying(bool playing) {
  playButton_->setIcon(
      style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  playButton_->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
}

void TransportBar::setSpeed(double speed) {
  speedLabel_->setText(QStringLiteral("%1x").arg(speed, 0, 'f', 2));
}

}  // namespace heardmap
