#include "CurveChart.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// Plot margins, px.
constexpr int kLeftPx = 46;
constexpr int kRightPx = 10;
constexpr int kTopPx = 20;
constexpr int kBottomPx = 30;
// Ticks per axis.
constexpr int kTicks = 4;

}  // namespace

CurveChart::CurveChart(const QString& title, const QString& xLabel, QWidget* parent)
    : QWidget(parent), title_(title), xLabel_(xLabel) {
  setMinimumHeight(140);
}

void CurveChart::setSeries(const QVector<CurveSeries>& series) {
  series_ = series;
  update();
}

namespace {

// The axes' ranges: x from 0 (or below) to the data's end; y follows the data with a margin,
// never below 0 for data that never is.
struct DataRange {
  double xMin = 0.0;
  double xMax = 1.0;
  double yMin = 0.0;
  double yMax = 1.0;
};

DataRange dataRange(const QVector<CurveSeries>& series) {
  double xMin = 0.0;
  double xMax = 1.0;
  double yMin = 0.0;  // the y range follows the data
  double yMax = 1.0;
  bool any = false;
  for (const CurveSeries& s : series) {
    for (const QPointF& pt : s.points) {
      if (!any) {
        xMin = xMax = pt.x();
        yMin = yMax = pt.y();
        any = true;
      }
      xMin = std::min(xMin, pt.x());
      xMax = std::max(xMax, pt.x());
      yMin = std::min(yMin, pt.y());
      yMax = std::max(yMax, pt.y());
    }
  }
  xMin = std::min(xMin, 0.0);
  if (xMax <= xMin) {
    xMax = xMin + 1.0;
  }
  if (yMax - yMin < 1e-9) {
    yMin -= 0.5;
    yMax += 0.5;
  } else {
    const double pad = (yMax - yMin) * 0.08;
    yMin = yMin >= 0.0 ? std::max(0.0, yMin - pad) : yMin - pad;  // scores never go below 0
    yMax += pad;
  }
  return {xMin, xMax, yMin, yMax};
}

// The legend on the title line, right-aligned at rightX: a line of each series' colour, its label.
void paintLegend(QPainter& p, const QVector<CurveSeries>& series, double rightX) {
  double legendX = rightX;
  for (int i = static_cast<int>(series.size()) - 1; i >= 0; --i) {
    const CurveSeries& s = series[i];
    const double w = p.fontMetrics().horizontalAdvance(s.label) + 22;
    legendX -= w;
    p.setPen(QPen(s.color, 2.5));
    p.drawLine(QPointF(legendX, 10), QPointF(legendX + 14, 10));
    p.setPen(Qt::black);
    p.drawText(QPointF(legendX + 17, 14), s.label);
  }
}

}  // namespace

void CurveChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  QFont font = p.font();
  font.setPixelSize(11);
  p.setFont(font);
  const QRectF plot(kLeftPx, kTopPx, width() - kLeftPx - kRightPx, height() - kTopPx - kBottomPx);
  const DataRange range = dataRange(series_);
  const double xMin = range.xMin;
  const double xMax = range.xMax;
  const double yMin = range.yMin;
  const double yMax = range.yMax;
  const auto map = [&](double x, double y) {
    return QPointF(plot.left() + (x - xMin) / (xMax - xMin) * plot.width(),
                   plot.bottom() - (y - yMin) / (yMax - yMin) * plot.height());
  };
  p.setPen(QColor(230, 230, 230));
  for (int i = 0; i <= kTicks; ++i) {
    const double x = xMin + (xMax - xMin) * i / kTicks;
    const double y = yMin + (yMax - yMin) * i / kTicks;
    p.drawLine(map(x, yMin), map(x, yMax));
    p.drawLine(map(xMin, y), map(xMax, y));
  }
  p.setPen(Qt::black);
  p.drawRect(plot);
  for (int i = 0; i <= kTicks; ++i) {
    const double x = xMin + (xMax - xMin) * i / kTicks;
    const double y = yMin + (yMax - yMin) * i / kTicks;
    const QPointF px = map(x, yMin);
    p.drawText(QRectF(px.x() - 30, plot.bottom() + 2, 60, 14), Qt::AlignCenter,
               QString::number(x, 'g', 4));
    const QPointF py = map(xMin, y);
    p.drawText(QRectF(0, py.y() - 7, kLeftPx - 4, 14), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(y, 'g', 3));
  }
  p.drawText(QRectF(plot.left(), height() - 14, plot.width(), 14), Qt::AlignCenter, xLabel_);
  font.setBold(true);
  p.setFont(font);
  p.drawText(QRectF(4, 2, width() - 8, 16), Qt::AlignLeft | Qt::AlignVCenter, title_);
  font.setBold(false);
  p.setFont(font);
  paintLegend(p, series_, width() - kRightPx);
  p.setRenderHint(QPainter::Antialiasing);
  p.setClipRect(plot.adjusted(-3, -3, 3, 3));
  for (const CurveSeries& s : series_) {
    QPainterPath path;
    for (int k = 0; k < s.points.size(); ++k) {
      const QPointF pt = map(s.points[k].x(), s.points[k].y());
      k == 0 ? path.moveTo(pt) : path.lineTo(pt);
    }
    p.setPen(QPen(s.color, 1.8));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    if (s.markers) {
      p.setBrush(s.color);
      for (const QPointF& pt : s.points) {
        p.drawEllipse(map(pt.x(), pt.y()), 3.0, 3.0);
      }
    }
  }
}

}  // namespace heardmap
