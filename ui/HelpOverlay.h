// A translucent panel over the window listing the current key bindings (toggled with F1 / ?).
// Dumb: shows the lines it is given; any key or click hides it.
#pragma once

#include <QWidget>
#include <vector>

namespace heardmap {

class HelpOverlay : public QWidget {
  Q_OBJECT

 public:
  explicit HelpOverlay(QWidget* parent);
  // (key, description) rows.
  void setRows(const std::vector<std::pair<QString, QString>>& rows);
  void toggle();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  std::vector<std::pair<QString, QString>> rows_;
};

}  // namespace heardmap
