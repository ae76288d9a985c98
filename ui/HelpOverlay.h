// A translucent panel over the window listing the current key bindings (toggled with F1 / ?).
// Dumb: shows the lines it is given; any key or click hides it. The rows are laid out in as many
// columns as fit, each column as wide as its longest key and description, the font made smaller
// until everything fits, so that no text overlaps at any window size.
#pragma once

#include <QFont>
#include <QRect>
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

  // Where each text goes: the title, then each row's key and description, in widget pixels.
  struct Layout {
    QFont font;
    QRect title;
    std::vector<QRect> keys;
    std::vector<QRect> descriptions;
  };
  Layout layout() const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  // The layout at one point size; false when it does not fit the widget.
  bool layoutAt(double pointSize, Layout* out) const;
  QString title() const;

  std::vector<std::pair<QString, QString>> rows_;
  // The font's largest and smallest point size; below the smallest, descriptions are elided.
  static constexpr double kLargestPointSize = 10.5;
  static constexpr double kSmallestPointSize = 7.0;
  // Space between a key and its description, and between columns, in pixels.
  static constexpr int kGapPx = 14;
  static constexpr int kColumnGapPx = 28;
  // Space kept free at the widget's edges, in pixels.
  static constexpr int kMarginPx = 10;
};

}  // namespace heardmap
