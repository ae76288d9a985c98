// A small live line chart (auto-scaled axes, ticks, legend) for training curves. Dumb: draws the
// series it is given.
#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

namespace heardmap {

struct CurveSeries {
  QString label;
  QColor color;
  QVector<QPointF> points;  // (x, y), x ascending
  bool markers = false;     // dots at the points (sparse series such as evaluations)
};

class CurveChart : public QWidget {
  Q_OBJECT

 public:
  explicit CurveChart(const QString& title, const QString& xLabel, QWidget* parent = nullptr);
  void setSeries(const QVector<CurveSeries>& series);
  const QVector<CurveSeries>& series() const { return series_; }
  QSize sizeHint() const override { return {360, 170}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString title_;
  QString xLabel_;
  QVector<CurveSeries> series_;
};

}  // namespace heardmap
