#include "ChartRenderer.h"

#include <QGuiApplication>
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

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

Qt::PenStyle penStyle(LineStyle style) {
  return style == LineStyle::Dash ? Qt::DashLine
                                  : (style == LineStyle::Dot ? Qt::DotLine : Qt::SolidLine);
}

// Colour of the i-th series (a fixed qualitative palette).
QColor seriesColor(int index) {
  static const QColor kPalette[] = {
      QColor(31, 119, 180),  QColor(214, 39, 40), QColor(44, 160, 44),   QColor(255, 127, 14),
      QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127)};
  return kPalette[index % 8];
}

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
             text(f.axes.xLabel));
  p.save();
  p.translate(18, f.rect.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-f.rect.height() / 2, -10, f.rect.height(), 22), Qt::AlignCenter,
             text(f.axes.yLabel));
  p.restore();
  font.setPixelSize(17);
  font.setBold(true);
  p.setFont(font);
  p.drawText(QRectF(10, 10, kWidth - 20, 28), Qt::AlignLeft | Qt::AlignVCenter, text(f.axes.title));
}

QColor colorOf(const std::vector<ChartSeries>& series, size_t i) {
  return seriesColor(series[i].colorIndex >= 0 ? series[i].colorIndex : static_cast<int>(i));
}

void drawLegend(QPainter& p, const std::vector<ChartSeries>& series) {
  QFont font = p.font();
  font.setPixelSize(13);
  font.setBold(false);
  p.setFont(font);
  for (size_t i = 0; i < series.size(); ++i) {
    const double y = kTop + 12 + static_cast<double>(i) * 22;
    p.setPen(QPen(colorOf(series, i), 3, penStyle(series[i].style)));
    p.drawLine(QPointF(kWidth - kRight + 14, y), QPointF(kWidth - kRight + 38, y));
    p.setPen(Qt::black);
    p.drawText(QRectF(kWidth - kRight + 44, y - 9, kRight - 48, 18),
               Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(text(series[i].label), Qt::ElideRight, kRight - 48));
  }
}

}  // namespace

struct PlotSession::State {
  int argc = 1;
  char name[16] = "heardmap";
  char* argv[2] = {name, nullptr};
  std::unique_ptr<QGuiApplication> app;
};

PlotSession::PlotSession() : state_(std::make_unique<State>()) {
  if (QCoreApplication::instance() == nullptr) {
    qputenv("QT_QPA_PLATFORM", "offscreen");  // headless: QPainter on QImage needs no display
    state_->app = std::make_unique<QGuiApplication>(state_->argc, state_->argv);
  }
}

PlotSession::~PlotSession() = default;

bool ChartRenderer::writeLineChart(const std::string& path, const ChartAxes& axes,
                                   const std::vector<ChartSeries>& series) {
  QImage image(kWidth, kHeight, QImage::Format_RGB32);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  Frame f;
  f.axes = axes;
  drawFrame(p, f);
  // Room for a whole dot on the frame (a last evaluation at the axis' end).
  const int clipPx = static_cast<int>(kMarkerRadiusPx) + 2;
  p.setClipRect(f.rect.adjusted(-clipPx, -clipPx, clipPx, clipPx));
  for (size_t i = 0; i < series.size(); ++i) {
    QPainterPath line;
    for (size_t k = 0; k < series[i].x.size() && k < series[i].y.size(); ++k) {
      const QPointF pt = f.map(series[i].x[k], series[i].y[k]);
      k == 0 ? line.moveTo(pt) : line.lineTo(pt);
    }
    p.setPen(QPen(colorOf(series, i), 2.5, penStyle(series[i].style)));
    p.drawPath(line);
    if (series[i].dots) {
      p.setPen(QPen(colorOf(series, i), 1.0));
      p.setBrush(colorOf(series, i));
      for (size_t k = 0; k < series[i].x.size() && k < series[i].y.size(); ++k) {
        p.drawEllipse(f.map(series[i].x[k], series[i].y[k]), kMarkerRadiusPx, kMarkerRadiusPx);
      }
      p.setBrush(Qt::NoBrush);
    }
  }
  p.setClipping(false);
  drawLegend(p, series);
  p.end();
  return image.save(text(path), "PNG");
}

bool ChartRenderer::writeHistogram(const std::string& path, ChartAxes axes,
                                   const std::vector<ChartSeries>& series, int bins) {
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
      c /= static_cast<double>(std::max<size_t>(1, s.y.size()));
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
  for (size_t i = 0; i < static_cast<size_t>(fractions.size()); ++i) {
    QPainterPath steps;
    steps.moveTo(f.map(axes.xMin, 0));
    for (int b = 0; b < bins; ++b) {
      steps.lineTo(f.map(axes.xMin + b * width, fractions[static_cast<qsizetype>(i)][b]));
      steps.lineTo(f.map(axes.xMin + (b + 1) * width, fractions[static_cast<qsizetype>(i)][b]));
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
  return image.save(text(path), "PNG");
}

}  // namespace heardmap
