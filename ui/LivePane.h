// The Live dock's controller: lists the microphones (PortAudio), starts and stops the live input,
// picks the still picture the microphone plays under, and shows the input level and the latency
// (device + inference + the model's window). Owns the dock's widget; the player does the work.
#pragma once

#include <QObject>
#include <QString>

#include "LivePanel.h"

class QWidget;

namespace heardmap {

class PlayerController;

class LivePane : public QObject {
  Q_OBJECT

 public:
  // dialogParent: where the file dialog opens and what owns the panel.
  LivePane(PlayerController* player, QWidget* dialogParent);

  LivePanel* panel() const { return panel_; }
  // Lists the input devices again (the Refresh button; once at start).
  void refreshDevices();
  // The latest inference time for all views of a frame, for the latency line.
  void setInferenceMs(double ms) { inferenceMs_ = ms; }

 Q_SIGNALS:
  // Live input started or stopped, with its status line (the device, or why it stopped).
  void liveChanged(bool live, const QString& status);

 private:
  PlayerController* player_;
  QWidget* dialogParent_;
  LivePanel* panel_;
  double inferenceMs_ = 0.0;
};

}  // namespace heardmap
