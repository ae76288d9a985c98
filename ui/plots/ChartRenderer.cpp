#include "ChartRenderer.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace heardmap {
namespace {

// Picture size and the plot frame's margins, px.
constexpr int kWidth = 1040;
constexpr int kHeight = 560;
constexpr int kLeft = 80;
constexpr int kRight = 340;
constexpr int kTop = 50;
constexpr int kBottom = 60;
// Tick count per axis.
constexpr int kTicks = 5;
// Radius of the dots of a series drawn with dots, px.
constexpr double kMarkerRadiusPx = 3.5;

struct Frame {
  QRectF rect{kLeft, kTop, kWidth - kLeft - kRight, kHeight - kTop - kBottom};
  ChartAxes axes;

  QPointF map(double x, double y) const {
    const double fx = (x - axes.xMin) / std::max(1e-12, axes.xMax - axes.xMin);
    const double fy = (y - axes.yMin) / std::max(1e-12, axes.yMax - axes.yMin);
    return {rect.left() + fx * rect.width(), rect.bottom() - fy * rect.height()};
  }
};

void drawFrame(QPainter& p, const Frame& f) {
  p.fillRect(QRect(0, 0, kWidth, kHeight), Qt::white);
  p.setPen(QPen(QColor(225, 225, 225), 1));
  for (int i = 0; i <= kTicks; ++i) {
    const double x = f.axes.xMin + (f.axes.xMax - f.axes.xMin) * i / kTicks;
    const double y = f.axes.yMin + (f.axes.yMax - f.axes.yMin) * i / kTicks;
    p.drawLine(f.map(x, f.axes.yMin), f.map(x, f.axes.yMax));
    p.drawLine(f.map(f.axes.xMin, y), f.map(f.axes.xMax, y));
  }
  p.setPen(QPen(Qt::black, 1.2));
  p.drawRect(f.rect);
  QFont font = p.font();
  font.setPixelSize(13);
  p.setFont(font);
  for (int i = 0; i <= kTicks; ++i) {
    const double x = f.axes.xMin + (f.axes.xMax - f.axes.xMin) * i / kTicks;
    const double y = f.axes.yMin + (f.axes.yMax - f.axes.yMin) * i / kTicks;
    const QPointF px = f.map(x, f.axes.yMin);
    p.drawText(QRectF(px.x() - 40, px.y() + 6, 80, 18), Qt::AlignCenter,
               QString::number(x, 'g', 6));
    const QPointF py = f.map(f.axes.xMin, y);
    p.drawText(QRectF(py.x() - 70, py.y() - 9, 62, 18), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(y, 'g', 3));
  }
  p.drawText(QRectF(f.rect.left(), kHeight - 30, f.rect.width(), 22), Qt::AlignCenter,
             f.axes.xLabel);
  p.save();
  p.translate(18, f.rect.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-f.rect.height() / 2, -10, f.rect.height(), 22), Qt::AlignCenter,
             f.axes.yLabel);
  p.restore();
  font.setPixelSize(17);
  font.setBold(true);
  p.setFont(font);
  p.drawText(QRectF(10, 10, kWidth - 20, 28), Qt::AlignLeft | Qt::AlignVCenter, f.axes.title);
}

QColor colorOf(const QVector<ChartSeries>& series, int i) {
  return ChartRenderer::seriesColor(series[i].colorIndex >= 0 ? series[i].colorIndex : i);
}

void drawLegend(QPainter& p, const QVector<ChartSeries>& series) {
  QFont font = p.font();
  font.setPixelSize(13);
  font.setBold(false);
  p.setFont(font);
  for (int i = 0; i < series.size(); ++i) {
    const double y = kTop + 12 + i * 22;
    p.setPen(QPen(colorOf(series, i), 3, series[i].style));
    p.drawLine(QPointF(kWidth - kRight + 14, y), QPointF(kWidth - kRight + 38, y));
    p.setPen(Qt::black);
    p.drawText(QRectF(kWidth - kRight + 44, y - 9, kRight - 48, 18),
               Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(series[i].label, Qt::ElideRight, kRight - 48));
  }
}

}  // namespace

QColor ChartRenderer::seriesColor(int index) {
  static const QColor kPalette[] = {
      QColor(31, 119, 180),  QColor(214, 39, 40), QColor(44, 160, 44),   QColor(255, 127, 14),
      QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127)};
  return kPalette[index % 8];
}

bool ChartRenderer::writeLineChart(const QString& path, const ChartAxes& axes,
                                   const QVector<ChartSeries>& series) {
  QImage image(kWidth, kHeight, QImage::Format_RGB32);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  Frame f;
  f.axes = axes;
  drawFrame(p, f);
  // Room for a whole dot on the frame (a last evaluation at the axis' end).
  const int clipPx = static_cast<int>(kMarkerRadiusPx) + 2;
  p.setClipRect(f.rect.adjusted(-clipPx, -clipPx, clipPx, clipPx));
  for (int i = 0; i < series.size(); ++i) {
    QPainterPath line;
    for (int k = 0; k < series[i].x.size() && k < series[i].y.size(); ++k) {
      const QPointF pt = f.map(series[i].x[k], series[i].y[k]);
      k == 0 ? line.moveTo(pt) : line.lineTo(pt);
    }
    p.setPen(QPen(colorOf(series, i), 2.5, series[i].style));
    p.drawPath(line);
    if (series[i].dots) {
      p.setPen(QPen(colorOf(series, i), 1.0));
      p.setBrush(colorOf(series, i));
      for (int k = 0; k < series[i].x.size() && k < series[i].y.size(); ++k) {
        p.drawEllipse(f.map(series[i].x[k], series[i].y[k]), kMarkerRadiusPx, kMarkerRadiusPx);
      }
      p.setBrush(Qt::NoBrush);
    }
  }
  p.setClipping(false);
  drawLegend(p, series);
  p.end();
  return image.save(path, "PNG");
}

bool ChartRenderer::writeHistogram(const QString& path, ChartAxes axes,
                                   const QVector<ChartSeries>& series, int bins) {
  QVector<QVector<double>> fractions;
  double peak = 0.0;
  for (const ChartSeries& s : series) {
    QVector<double> counts(bins, 0.0);
    for (double v : s.y) {
      const int b = std::clamp(static_cast<int>((v - axes.xMin) / (axes.xMax - axes.xMin) * bins),
                               0, bins - 1);
      counts[b] += 1.0;
    }
    for (double& c : counts) {
      c /= std::max<qsizetype>(1, s.y.size());
      peak = std::max(peak, c);
    }
    fractions.push_back(counts);
  }
  axes.yMin = 0.0;
  axes.yMax = peak > 0 ? std::ceil(peak * 10.0) / 10.0 : 1.0;
  QImage image(kWidth, kHeight, QImage::Format_RGB32);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  Frame f;
  f.axes = axes;
  drawFrame(p, f);
  const double width = (axes.xMax - axes.xMin) / bins;
  for (int i = 0; i < fractions.size(); ++i) {
    QPainterPath steps;
    steps.moveTo(f.map(axes.xMin, 0));
    for (int b = 0; b < bins; ++b) {
      steps.lineTo(f.map(axes.xMin + b * width, fractions[i][b]));
      steps.lineTo(f.map(axes.xMin + (b + 1) * width, fractions[i][b]));
    }
    steps.lineTo(f.map(axes.xMax, 0));
    QColor fill = colorOf(series, i);
    fill.setAlpha(50);
    p.fillPath(steps, fill);
    p.setPen(QPen(colorOf(series, i), 2));
    p.drawPath(steps);
  }
  drawLegend(p, series);
  p.end();
  return image.save(path, "PNG");
}

}  // namespace heardmap
