// Live microphone controls: input device list, start/stop, level meter, latency and state.
// Dumb: shows what it is given and emits intents.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace heardmap {

class LivePanel : public QWidget {
  Q_OBJECT

 public:
  explicit LivePanel(QWidget* parent = nullptr);
  // (PortAudio index, label); empty = "no microphone".
  void setDevices(const std::vector<std::pair<int, QString>>& devices, int defaultIndex);
  void setLive(bool live, const QString& status);
  // Linear RMS / peak; shown in dBFS.
  void setLevel(float rms, float peak);
  void setLatency(double deviceMs, double inferenceMs, double windowSeconds);
  int selectedDevice() const;

 Q_SIGNALS:
  void startClicked(int deviceIndex);
  void stopClicked();
  void refreshClicked();
  void stillImageClicked();

 private:
  QComboBox* devices_ = nullptr;
  QPushButton* start_ = nullptr;
  QProgressBar* meter_ = nullptr;
  QLabel* level_ = nullptr;
  QLabel* latency_ = nullptr;
  QLabel* status_ = nullptr;
  bool live_ = false;
};

}  // namespace heardmap
