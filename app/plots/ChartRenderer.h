// Renders simple charts (line curves, overlaid histograms) to PNG. The interface is Qt-free so
// that the headless commands (app/cli) stay free of Qt; the implementation paints with QPainter
// and needs a PlotSession alive while it writes.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace heardmap {

// How a line is drawn: dashes tell apart series of one colour.
enum class LineStyle { Solid, Dash, Dot };

struct ChartSeries {
  std::string label;
  std::vector<double> x;  // line charts: x positions; histograms: unused
  std::vector<double> y;  // line charts: y values; histograms: the samples
  int colorIndex = -1;    // palette entry; -1: the series' own index
  LineStyle style = LineStyle::Solid;
  bool dots = false;  // line charts: a dot at each point (a few evaluations)
};

struct ChartAxes {
  std::string title;
  std::string xLabel;
  std::string yLabel;
  double xMin = 0.0;
  double xMax = 1.0;
  double yMin = 0.0;
  double yMax = 1.0;
};

// Fonts need a QGuiApplication: hold one of these while writing charts and galleries (it makes a
// headless one, on the offscreen platform, when the process has none).
class PlotSession {
 public:
  PlotSession();
  ~PlotSession();
  PlotSession(const PlotSession&) = delete;
  PlotSession& operator=(const PlotSession&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class ChartRenderer {
 public:
  // Writes a line chart; returns false if the PNG cannot be written.
  static bool writeLineChart(const std::string& path, const ChartAxes& axes,
                             const std::vector<ChartSeries>& series);
  // Writes overlaid step histograms of each series' samples over [xMin, xMax] in `bins` bins,
  // normalised to fractions (y axis auto-scaled).
  static bool writeHistogram(const std::string& path, ChartAxes axes,
                             const std::vector<ChartSeries>& series, int bins);
};

}  // namespace heardmap
