// Play/pause, seek bar, frame step and speed controls. A dumb widget: it emits intents and shows
// the state it is given.
#pragma once

#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;

namespace heardmap {

class TransportBar : public QWidget {
  Q_OBJECT

 public:
  explicit TransportBar(QWidget* parent = nullptr);

  void setDuration(double seconds);
  void setPosition(double seconds);
  void setPlaying(bool playing);
  void setSpeed(double speed);

  // A time typed into the go-to field: "83.5" (seconds), "1:23.5" (minutes:seconds) or
  // "0:01:23.5" (hours:minutes:seconds); nothing for anything else or a negative time.
  static std::optional<double> parseTime(const QString& text);

 Q_SIGNALS:
  void playPauseClicked();
  void seekRequested(double seconds);
  void stepRequested(int frames);

 private:
  QPushButton* playButton_ = nullptr;
  QPushButton* backButton_ = nullptr;
  QPushButton* forwardButton_ = nullptr;
  QSlider* slider_ = nullptr;
  QLineEdit* timeEdit_ = nullptr;  // the position; type a time and Enter to go there
  QLabel* timeLabel_ = nullptr;    // " / duration"
  QLabel* speedLabel_ = nullptr;
  double durationSeconds_ = 0.0;
};

}  // namespace heardmap
