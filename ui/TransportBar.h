// Play/pause, seek bar, frame step and speed controls. A dumb widget: it emits intents and shows
// the state it is given.
#pragma once

#include <QWidget>

class QLabel;
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

 Q_SIGNALS:
  void playPauseClicked();
  void seekRequested(double seconds);
  void stepRequested(int frames);

 private:
  QPushButton* playButton_ = nullptr;
  QPushButton* backButton_ = nullptr;
  QPushButton* forwardButton_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QLabel* speedLabel_ = nullptr;
  double durationSeconds_ = 0.0;
};

}  // namespace heardmap
