// Shows the current frame with the heatmap overlay, drawn by shaders/overlay.{vert,frag}, and on
// top (QPainter) the caption lines and annotation boxes it is given. A dumb view: it draws what it
// is given and emits only the user's intents (clicked, a box drawn with Shift+drag).
#pragma once

#include <QOpenGLBuffer>
#include <QOpenGLExtraFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLVertexArrayObject>
#include <QOpenGLWidget>
#include <QPointer>
#include <QRectF>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/DisplayHeatmap.h"
#include "core/OverlaySettings.h"
#include "core/RgbImage.h"

class QPainter;

namespace heardmap {

// An annotation box to draw, in [0, 1] frame coordinates.
struct ViewBox {
  QRectF rect;  // a point has no width and height
  QString label;
  bool selected = false;
};

// The frame texture of a grid's views: the views of one window share their GL contexts, so the
// first view to draw a frame uploads it once for all (six 1280x720 uploads a frame cost the
// software rasteriser more than the draws).
struct SharedFrameTexture {
  GLuint texture = 0;
  QPointer<QOpenGLContextGroup> group;  // the share group the texture lives in
  std::shared_ptr<const RgbImage> uploaded;
};

class VideoView : public QOpenGLWidget, protected QOpenGLExtraFunctions {
  Q_OBJECT

 public:
  explicit VideoView(QWidget* parent = nullptr);
  ~VideoView() override;

  void setFrame(const RgbImage& frame);
  // The same frame for every view of a grid, held once.
  void setFrame(std::shared_ptr<const RgbImage> frame);
  // Views given one SharedFrameTexture upload each frame once (ViewGrid does this).
  void shareFrameTexture(std::shared_ptr<SharedFrameTexture> shared);
  // redrawNow false: the map (or caption) waits for the next frame's redraw (during playback, so
  // that a map arriving between two frames costs no draw of its own).
  void setHeatmap(const DisplayHeatmap& heatmap, bool redrawNow = true);
  void clearHeatmap();
  void setOverlaySettings(const OverlaySettings& settings);
  // Text lines drawn in the top-left corner (method, audio condition, scores...). warning=true
  // draws the last line in the warning colour (e.g. "nothing above threshold").
  // A colour bar at the picture's right edge: what the colours mean (on by default).
  void setColourBar(bool shown);
  void setCaption(const QStringList& lines, bool warning, bool redrawNow = true);
  const QStringList& caption() const { return caption_; }
  void setBoxes(const std::vector<ViewBox>& boxes);
  const std::vector<ViewBox>& boxes() const { return boxes_; }
  // Highlights the view (the selected one in a grid).
  void setSelected(bool selected);
  // Where the frame is drawn inside the widget (letterboxed, then zoomed), in widget pixels.
  QRectF frameRect() const;
  // Zoom (1 = the whole frame, up to kMaxZoom) about a centre: the frame point, in [0, 1]
  // coordinates, at the middle of the view. The wheel zooms about the cursor and a drag pans.
  void setZoom(double zoom, const QPointF& centre);
  double zoom() const { return zoom_; }
  QPointF zoomCentre() const { return centre_; }
  static constexpr double kMaxZoom = 8.0;
  // The GL version string once initialised (for the about box and tests).
  QString glVersion() const { return glVersion_; }
  // paintGL calls so far (what one view's drawing costs: tests and bench/app_bench).
  uint64_t paintCount() const { return paintCount_; }
  // Empty if the shaders compiled and linked.
  QString shaderLog() const { return shaderLog_; }

 Q_SIGNALS:
  void clicked();
  // A double-click on the picture: the window offers to rename the view.
  void doubleClicked();
  // A box drawn by the user (Shift+drag), in [0, 1] frame coordinates; a point (Shift+click)
  // has no width and height. newObject: Ctrl was held too (the box starts a new object).
  void boxDrawn(const QRectF& normalized, bool newObject);
  // The user zoomed or panned this view (the grid gives the others the same).
  void zoomChanged(double zoom, const QPointF& centre);

 protected:
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void initializeGL() override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

 private:
  void uploadFrame(GLuint texture);
  // The texture the frame is drawn from: the grid's shared one (uploaded once per frame) or this
  // view's own.
  GLuint frameTextureToDraw();
  void uploadHeatmap();
  void uploadColormap();
  void paintFrameGL();
  void paintDecorations();
  void paintColourBar(QPainter& painter, const QRectF& frame);
  void paintPeakCrosshair(QPainter& painter, const QRectF& frame);
  void paintBoxes(QPainter& painter, const QRectF& frame);
  QRectF letterboxRect() const;
  QPointF clampedCentre(double zoom, const QPointF& centre) const;

  QOpenGLShaderProgram program_;
  QOpenGLVertexArrayObject vao_;
  QOpenGLBuffer vertices_{QOpenGLBuffer::VertexBuffer};
  GLuint frameTexture_ = 0;
  GLuint heatmapTexture_ = 0;
  GLuint colormapTexture_ = 0;
  std::shared_ptr<const RgbImage> frame_ = std::make_shared<const RgbImage>();
  std::shared_ptr<SharedFrameTexture> sharedTexture_;
  DisplayHeatmap heatmap_;
  bool colourBar_ = true;
  // The colour bar's size: width in pixels, height as a fraction of the picture's.
  static constexpr int kColourBarWidthPx = 12;
  static constexpr double kColourBarHeightOfFrame = 0.4;
  // Half the length of each line of the peak crosshair, in pixels.
  static constexpr double kCrosshairArmPx = 14.0;
  OverlaySettings settings_;
  bool frameDirty_ = false;
  bool heatmapDirty_ = false;
  bool colormapDirty_ = true;
  bool initialized_ = false;
  QStringList caption_;
  bool captionWarning_ = false;
  std::vector<ViewBox> boxes_;
  bool selected_ = false;
  bool dragging_ = false;
  uint64_t paintCount_ = 0;
  bool newObjectDrag_ = false;
  bool panning_ = false;
  QPointF panLast_;
  double zoom_ = 1.0;
  QPointF centre_{0.5, 0.5};
  // Zoom factor of one wheel notch.
  static constexpr double kZoomPerNotch = 1.25;
  // A Shift+drag shorter than this, in pixels, is a click: it marks a point.
  static constexpr double kPointClickPx = 4.0;
  // Radius of the ring drawn around a marked point, in pixels.
  static constexpr double kPointRadiusPx = 7.0;
  QPointF dragStart_;
  QPointF dragEnd_;
  QString glVersion_;
  QString shaderLog_;
};

}  // namespace heardmap
