// Renders simple charts (line curves, overlaid histograms) to PNG with QPainter. Needs a
// QGuiApplication (fonts); headless commands create one on the offscreen platform.
#pragma once

#include <QColor>
#include <QString>
#include <QVector>

namespace heardmap {

struct ChartSeries {
  QString label;
  QVector<double> x;                   // line charts: x positions; histograms: unused
  QVector<double> y;                   // line charts: y values; histograms: the samples
  int colorIndex = -1;                 // palette entry; -1: the series' own index
  Qt::PenStyle style = Qt::SolidLine;  // line charts: dashes tell apart series of one colour
  bool dots = false;                   // line charts: a dot at each point (a few evaluations)
};

struct ChartAxes {
  QString title;
  QString xLabel;
  QString yLabel;
  double xMin = 0.0;
  double xMax = 1.0;
  double yMin = 0.0;
  double yMax = 1.0;
};

class ChartRenderer {
 public:
  // Colour of the i-th series (a fixed qualitative palette).
  static QColor seriesColor(int index);
  // Writes a line chart; returns false if the PNG cannot be written.
  static bool writeLineChart(const QString& path, const ChartAxes& axes,
                             const QVector<ChartSeries>& series);
  // Writes overlaid step histograms of each series' samples over [xMin, xMax] in `bins` bins,
  // normalised to fractions (y axis auto-scaled).
  static bool writeHistogram(const QString& path, ChartAxes axes,
                             const QVector<ChartSeries>& series, int bins);
};

}  // namespace heardmap
