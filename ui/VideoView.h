// Shows the current frame with the heatmap overlay, drawn by shaders/overlay.{vert,frag}. A dumb
// view: it draws what it is given and emits nothing.
#pragma once

#include <QOpenGLBuffer>
#include <QOpenGLExtraFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLVertexArrayObject>
#include <QOpenGLWidget>
#include <memory>

#include "core/DisplayHeatmap.h"
#include "core/OverlaySettings.h"
#include "core/RgbImage.h"

namespace heardmap {

class VideoView : public QOpenGLWidget, protected QOpenGLExtraFunctions {
  Q_OBJECT

 public:
  explicit VideoView(QWidget* parent = nullptr);
  ~VideoView() override;

  void setFrame(const RgbImage& frame);
  void setHeatmap(const DisplayHeatmap& heatmap);
  void clearHeatmap();
  void setOverlaySettings(const OverlaySettings& settings);
  // The GL version string once initialised (for the about box and tests).
  QString glVersion() const { return glVersion_; }
  // Empty if the shaders compiled and linked.
  QString shaderLog() const { return shaderLog_; }

 protected:
  void initializeGL() override;
  void paintGL() override;

 private:
  void uploadFrame();
  void uploadHeatmap();
  void uploadColormap();

  QOpenGLShaderProgram program_;
  QOpenGLVertexArrayObject vao_;
  QOpenGLBuffer vertices_{QOpenGLBuffer::VertexBuffer};
  GLuint frameTexture_ = 0;
  GLuint heatmapTexture_ = 0;
  GLuint colormapTexture_ = 0;
  RgbImage frame_;
  DisplayHeatmap heatmap_;
  OverlaySettings settings_;
  bool frameDirty_ = false;
  bool heatmapDirty_ = false;
  bool colormapDirty_ = true;
  bool initialized_ = false;
  QString glVersion_;
  QString shaderLog_;
};

}  // namespace heardmap
