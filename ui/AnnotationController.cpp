#include "AnnotationController.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUndoCommand>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "app/media/MediaError.h"
#include "app/media/PngWriter.h"
#include "app/media/VideoDecoder.h"
#include "core/AtomicFile.h"
#include "core/annotate/CocoImport.h"

namespace heardmap {

// One undoable edit: the whole document before and after (documents are small).
class AnnotationEdit : public QUndoCommand {
 public:
  AnnotationEdit(AnnotationController* owner, AnnotationDocument before, AnnotationDocument after,
                 const QString& text)
      : QUndoCommand(text), owner_(owner), before_(std::move(before)), after_(std::move(after)) {}
  void undo() override { owner_->setDocument(before_); }
  void redo() override { owner_->setDocument(after_); }

 private:
  AnnotationController* owner_;
  AnnotationDocument before_;
  AnnotationDocument after_;
};

AnnotationController::AnnotationController(QObject* parent) : QObject(parent) {}

void AnnotationController::openClip(const QString& clipPath, double durationSeconds, int width,
                                    int height) {
  undo_.clear();
  pendingStart_ = -1.0;
  selected_ = 0;
  const QString sidecar =
      QString::fromStdString(AnnotationDocument::sidecarPath(clipPath.toStdString()));
  const QFileInfo dir(QFileInfo(clipPath).absolutePath());
  if (dir.isWritable()) {
    savePath_ = sidecar;
  } else {
    // Read-only media folder: keep the annotations in the app's data folder, one file per clip.
    const QString folder =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/annotations";
    QDir().mkpath(folder);
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(clipPath).absoluteFilePath().toUtf8(),
                                 QCryptographicHash::Sha1)
            .toHex()
            .left(12);
    savePath_ = folder + "/" + QFileInfo(clipPath).fileName() + "-" + hash + ".heardmap.json";
    Q_EMIT message(
        tr("The clip's folder is read-only: annotations are saved in %1").arg(savePath_));
  }
  document_ = AnnotationDocument{};
  const std::string path = savePath_.toStdString();
  if (QFileInfo::exists(savePath_) ||
      QFileInfo::exists(QString::fromStdString(AnnotationDocument::backupPath(path)))) {
    try {
      std::string recovered;
      document_ = AnnotationDocument::load(path, &recovered);
      if (!recovered.empty()) {
        Q_EMIT message(tr("Annotation file damaged; recovered from %1")
                           .arg(QString::fromStdString(recovered)));
      }
    } catch (const std::exception& e) {
      // Keep the damaged file for the user; start empty and save beside it.
      const QString aside = savePath_ + ".damaged";
      QFile::remove(aside);
      QFile::rename(savePath_, aside);
      Q_EMIT message(tr("Cannot read %1 (%2); it was kept as %3")
                         .arg(savePath_, QString::fromStdString(e.what()), aside));
      document_ = AnnotationDocument{};
    }
  }
  document_.clipPath = clipPath.toStdString();
  document_.clipDurationSeconds = durationSeconds;
  document_.frameWidth = width;
  document_.frameHeight = height;
  Q_EMIT pendingStartChanged(pendingStart_);
  Q_EMIT selectionChanged(selected_);
  Q_EMIT changed();
}

void AnnotationController::setDocument(const AnnotationDocument& document) {
  document_ = document;
  if (document_.find(selected_) == nullptr) {
    selected_ = document_.empty() ? 0 : document_.items().back().id;
    Q_EMIT selectionChanged(selected_);
  }
  save();
  Q_EMIT changed();
}

void AnnotationController::apply(const AnnotationDocument& before, const AnnotationDocument& after,
                                 const QString& what) {
  undo_.push(new AnnotationEdit(this, before, after, what));  // push() runs redo()
}

void AnnotationController::save() {
  if (savePath_.isEmpty()) {
    return;
  }
  try {
    document_.save(savePath_.toStdString());
    Q_EMIT saved(savePath_);
  } catch (const FileError& e) {
    Q_EMIT message(tr("Annotations NOT saved: %1 (they stay in memory; fix the problem or export)")
                       .arg(QString::fromStdString(e.what())));
  }
}

void AnnotationController::markStart(double seconds) {
  pendingStart_ = std::max(0.0, seconds);
  Q_EMIT pendingStartChanged(pendingStart_);
  Q_EMIT message(tr("Failure range starts at %1 s; press the end key to close it")
                     .arg(pendingStart_, 0, 'f', 2));
}

int AnnotationController::markEnd(double seconds, const AnnotationContext& context) {
  if (pendingStart_ < 0.0) {
    Q_EMIT message(tr("Mark the start of the failure first"));
    return 0;
  }
  FailureAnnotation annotation;
  annotation.startSeconds = std::min(pendingStart_, seconds);
  annotation.endSeconds = std::max(pendingStart_, seconds);
  annotation.method = context.method;
  annotation.checkpoint = context.checkpoint;
  annotation.condition = context.condition;
  annotation.tag =
      context.condition == AudioCondition::Silence || context.condition == AudioCondition::MutedMic
          ? FailureTag::SilenceHallucination
      : context.condition == AudioCondition::OffScreen ? FailureTag::OffScreenConfusion
                                                       : FailureTag::FalsePositive;
  AnnotationDocument after = document_;
  const int id = after.add(annotation);
  pendingStart_ = -1.0;
  Q_EMIT pendingStartChanged(pendingStart_);
  apply(document_, after, tr("mark failure"));
  select(id);
  Q_EMIT message(tr("Failure #%1 marked: %2-%3 s (%4); Shift+drag a box or Shift+click a point "
                    "where the sound is")
                     .arg(id)
                     .arg(annotation.startSeconds, 0, 'f', 2)
                     .arg(annotation.endSeconds, 0, 'f', 2)
                     .arg(QString::fromStdString(annotation.tagText())));
  return id;
}

void AnnotationController::select(int id) {
  if (id != 0 && document_.find(id) == nullptr) {
    return;
  }
  selected_ = id;
  const FailureAnnotation* a = document_.find(id);
  selectedObject_ = a != nullptr && !a->objects.empty() ? a->objects.front().id : 1;
  Q_EMIT selectionChanged(id);
}

namespace {

int nextObjectId(const FailureAnnotation& a) {
  int next = 1;
  for (const ObjectTrack& o : a.objects) {
    next = std::max(next, o.id + 1);
  }
  return next;
}

}  // namespace

void AnnotationController::selectObject(int objectId) {
  const FailureAnnotation* a = document_.find(selected_);
  if (a == nullptr) {
    return;
  }
  selectedObject_ = objectId != 0 && a->object(objectId) != nullptr ? objectId : nextObjectId(*a);
  if (objectId == 0) {
    Q_EMIT message(tr("Object #%1 of failure #%2: Shift+drag a box or Shift+click a point")
                       .arg(selectedObject_)
                       .arg(selected_));
  }
  Q_EMIT selectionChanged(selected_);
}

void AnnotationController::setObjectLabel(int id, int objectId, const QString& label) {
  const FailureAnnotation* a = document_.find(id);
  if (a == nullptr || a->object(objectId) == nullptr ||
      a->object(objectId)->label == label.toStdString()) {
    return;
  }
  AnnotationDocument after = document_;
  after.find(id)->object(objectId)->label = label.toStdString();
  apply(document_, after, tr("label object"));
}

bool AnnotationController::setBox(double seconds, const NormalizedBox& box, bool newObject) {
  if (document_.find(selected_) == nullptr) {
    Q_EMIT message(
        tr("Select a failure (or mark one with the start / end keys) before drawing a "
           "box"));
    return false;
  }
  const ObjectShape shape =
      box.x1 == box.x0 && box.y1 == box.y0 ? ObjectShape::Point : ObjectShape::Box;
  AnnotationDocument after = document_;
  FailureAnnotation* target = after.find(selected_);
  const ObjectTrack* current = target->object(selectedObject_);
  int objectId = selectedObject_;
  if (current == nullptr || newObject || current->shape != shape) {
    objectId = target->addObject(shape).id;  // a track for another object or shape
  }
  target->setKeyframe(seconds, box, objectId);
  selectedObject_ = objectId;
  // A box outside the range widens the range: the box is evidence of the failure at that time.
  target->startSeconds = std::min(target->startSeconds, seconds);
  target->endSeconds = std::max(target->endSeconds, seconds);
  apply(document_, after, shape == ObjectShape::Point ? tr("mark point") : tr("draw box"));
  return true;
}

bool AnnotationController::removeBox(double seconds) {
  const FailureAnnotation* current = document_.find(selected_);
  if (current == nullptr) {
    return false;
  }
  AnnotationDocument after = document_;
  FailureAnnotation* target = after.find(selected_);
  bool removed = target->removeKeyframe(seconds, selectedObject_);
  for (size_t i = 0; !removed && i < current->objects.size(); ++i) {
    removed = target->removeKeyframe(seconds, current->objects[i].id);
  }
  if (!removed) {
    Q_EMIT message(tr("No box of failure #%1 at %2 s").arg(selected_).arg(seconds, 0, 'f', 2));
    return false;
  }
  apply(document_, after, tr("remove box"));
  return true;
}

int AnnotationController::importCoco(const QString& path, double framesPerSecond) {
  CocoImportOptions options;
  options.framesPerSecond = framesPerSecond;
  options.frameWidth = document_.frameWidth;
  options.frameHeight = document_.frameHeight;
  options.sourceName = path.toStdString();
  FailureAnnotation labels = annotationFromCoco(Json::parse(readFile(path.toStdString())), options);
  AnnotationDocument after = document_;
  const int id = after.add(labels);
  apply(document_, after, tr("import labels"));
  select(id);
  Q_EMIT message(tr("Failure #%1: %2").arg(id).arg(QString::fromStdString(labels.note)));
  return id;
}

void AnnotationController::setTag(int id, FailureTag tag, const QString& customTag) {
  const FailureAnnotation* current = document_.find(id);
  if (current == nullptr ||
      (current->tag == tag && current->customTag == customTag.toStdString())) {
    return;
  }
  AnnotationDocument after = document_;
  after.find(id)->tag = tag;
  after.find(id)->customTag = customTag.toStdString();
  apply(document_, after, tr("set tag"));
}

void AnnotationController::setNote(int id, const QString& note) {
  const FailureAnnotation* current = document_.find(id);
  if (current == nullptr || current->note == note.toStdString()) {
    return;
  }
  AnnotationDocument after = document_;
  after.find(id)->note = note.toStdString();
  apply(document_, after, tr("edit note"));
}

void AnnotationController::remove(int id) {
  if (document_.find(id) == nullptr) {
    return;
  }
  AnnotationDocument after = document_;
  after.remove(id);
  apply(document_, after, tr("delete failure"));
}

void AnnotationController::exportCoco(const QString& path) const {
  const QDir folder = QFileInfo(path).absoluteDir();
  const QString base = QFileInfo(QString::fromStdString(document_.clipPath)).completeBaseName();
  std::unique_ptr<VideoDecoder> decoder;
  std::map<double, std::string> written;  // one PNG per keyframe time
  const auto frameFile = [&](double seconds) {
    const auto it = written.find(seconds);
    if (it != written.end()) {
      return it->second;
    }
    if (!decoder) {
      decoder = std::make_unique<VideoDecoder>(document_.clipPath);
    }
    decoder->seek(seconds);
    const std::optional<RgbImage> frame = decoder->nextFrame();
    if (!frame) {
      throw MediaError(document_.clipPath + ": no frame at " + std::to_string(seconds) + " s");
    }
    const QString name = QStringLiteral("%1-%2s.png").arg(base).arg(seconds, 0, 'f', 3);
    writePng(folder.filePath(name).toStdString(), *frame);
    return written[seconds] = name.toStdString();
  };
  writeFileAtomically(path.toStdString(), document_.toCocoJson(frameFile));
}

void AnnotationController::exportCsv(const QString& path) const {
  writeFileAtomically(path.toStdString(), document_.toCsv());
}

}  // namespace heardmap
