// The failure annotations of the open clip: marking ranges (start / end keys), box keyframes,
// tags and notes, with undo/redo (each edit stores the document before and after) and automatic
// atomic saving next to the clip (with a backup), or in the app's data folder when the clip's
// folder is read-only. Owns no widgets.
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
  // Adds / replaces the selected annotation's box at a time. False (with a message) if none is
  // selected.
  bool setBox(double seconds, const NormalizedBox& box);
  // Removes the selected annotation's box keyframe at a time (within one frame); false if none.
  bool removeBox(double seconds);
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
};

}  // namespace heardmap
