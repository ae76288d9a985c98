// The failure annotations of the open clip: marking ranges (start / end keys), objects with box
// or point keyframes, tags and notes, COCO import, with undo/redo (each edit stores the document
// before and after) and automatic atomic saving next to the clip (with a backup), or in the app's
// data folder when the clip's folder is read-only. Owns no widgets.
#pragma once

#include <QObject>
#include <QString>
#include <QUndoStack>

#include "core/annotate/AnnotationDocument.h"

namespace heardmap {

// What an annotation records about the view it was made on.
struct AnnotationContext {
  std::string method;
  std::string checkpoint;
  AudioCondition condition = AudioCondition::Real;
};

class AnnotationController : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationController(QObject* parent = nullptr);

  // Loads the clip's annotations (from the sidecar or its backup, if any); empty otherwise.
  void openClip(const QString& clipPath, double durationSeconds, int width, int height);
  const AnnotationDocument& document() const { return document_; }
  QString savePath() const { return savePath_; }
  QUndoStack* undoStack() { return &undo_; }

  // Start key: remembers the range start. End key: closes the range into a new annotation
  // (times swapped if needed) and selects it. Returns its id (0 if no start was marked).
  void markStart(double seconds);
  int markEnd(double seconds, const AnnotationContext& context);
  double pendingStart() const { return pendingStart_; }
  void select(int id);
  int selected() const { return selected_; }
  // The object of the selected annotation that new boxes go to (it may not exist yet).
  int selectedObject() const { return selectedObject_; }
  // 0 selects a new object (the next free id).
  void selectObject(int objectId);
  void setObjectLabel(int id, int objectId, const QString& label);
  // Adds / replaces the selected object's box at a time; a box with no extent is a point. A new
  // object is started when newObject is set or the shape differs from the selected object's.
  // False (with a message) if no annotation is selected.
  bool setBox(double seconds, const NormalizedBox& box, bool newObject = false);
  // Removes the selected object's keyframe at a time (within one frame), or else any object's
  // there; false if none.
  bool removeBox(double seconds);
  // Reads someone else's labels (COCO: CVAT, VIA, Heardmap) into a new record, selected; frame
  // numbers in file names count at framesPerSecond. Returns its id. Throws FileError / JsonError
  // naming the file and the field.
  int importCoco(const QString& path, double framesPerSecond);
  void setTag(int id, FailureTag tag, const QString& customTag);
  void setNote(int id, const QString& note);
  void remove(int id);

  // Export files (atomic). Throw FileError. The COCO JSON's images are real files: each boxed
  // keyframe's frame as PNG beside it (<clip>-<t>s.png), so that CVAT and VIA import it as is
  // (MediaError when the clip cannot be decoded).
  void exportCoco(const QString& path) const;
  void exportCsv(const QString& path) const;

 Q_SIGNALS:
  void changed();
  void selectionChanged(int id);
  void pendingStartChanged(double seconds);
  void saved(const QString& path);
  void message(const QString& text);

 private:
  friend class AnnotationEdit;
  void apply(const AnnotationDocument& before, const AnnotationDocument& after,
             const QString& what);
  void setDocument(const AnnotationDocument& document);
  void save();

  AnnotationDocument document_;
  QString savePath_;
  QUndoStack undo_;
  double pendingStart_ = -1.0;
  int selected_ = 0;
  int selectedObject_ = 1;
};

}  // namespace heardmap
