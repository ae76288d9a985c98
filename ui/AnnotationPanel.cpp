#include "AnnotationPanel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace heardmap {

// Longer than 80 lines: the form top to bottom, one row per control, as the user reads it.
AnnotationPanel::AnnotationPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* help = new QLabel(tr("I / O: start / end of a failure range. On a view, at this frame: "
                             "Shift+drag a box, Shift+click a point (where the sound really is); "
                             "with Ctrl too, for another object."),
                          this);
  help->setWordWrap(true);
  layout->addWidget(help);
  list_ = new QListWidget(this);
  list_->setObjectName("annotationList");
  layout->addWidget(list_, 2);

  auto* form = new QFormLayout;
  tag_ = new QComboBox(this);
  tag_->setObjectName("annotationTag");
  for (FailureTag tag : allFailureTags()) {
    tag_->addItem(QString::fromStdString(failureTagLabel(tag)), static_cast<int>(tag));
  }
  customTag_ = new QLineEdit(this);
  customTag_->setObjectName("annotationCustomTag");
  customTag_->setPlaceholderText(tr("custom tag"));
  note_ = new QLineEdit(this);
  note_->setObjectName("annotationNote");
  note_->setPlaceholderText(tr("note (Enter to keep)"));
  form->addRow(tr("Tag"), tag_);
  form->addRow(QString(), customTag_);
  form->addRow(tr("Note"), note_);
  object_ = new QComboBox(this);
  object_->setObjectName("annotationObject");
  object_->setToolTip(tr("The object that the next box or point goes to; each is its own track"));
  objectLabel_ = new QLineEdit(this);
  objectLabel_->setObjectName("annotationObjectLabel");
  objectLabel_->setPlaceholderText(tr("object label, e.g. dog (Enter to keep)"));
  form->addRow(tr("Object"), object_);
  form->addRow(QString(), objectLabel_);
  layout->addLayout(form);

  auto* buttons = new QHBoxLayout;
  delete_ = new QPushButton(tr("Delete"), this);
  auto* removeBox = new QPushButton(tr("Remove box here"), this);
  removeBox->setObjectName("removeBox");
  removeBox->setToolTip(tr("Removes the selected failure's box keyframe at the current frame"));
  connect(removeBox, &QPushButton::clicked, this, &AnnotationPanel::removeBoxClicked);
  buttons->addWidget(removeBox);
  auto* coco = new QPushButton(tr("Export COCO..."), this);
  auto* csv = new QPushButton(tr("Export CSV..."), this);
  auto* import = new QPushButton(tr("Import COCO..."), this);
  import->setObjectName("importCoco");
  import->setToolTip(
      tr("Reads someone else's boxes (CVAT, VIA, COCO) as one record, to score views on them"));
  buttons->addWidget(delete_);
  layout->addLayout(buttons);
  auto* files = new QHBoxLayout;  // a second row: the dock stays narrow
  files->addWidget(coco);
  files->addWidget(csv);
  files->addWidget(import);
  layout->addLayout(files);
  saved_ = new QLabel(this);
  saved_->setObjectName("annotationSaved");
  saved_->setWordWrap(true);
  layout->addWidget(saved_);

  evaluate_ = new QPushButton(tr("Score views on my boxes"), this);
  evaluate_->setObjectName("evaluateAnnotations");
  layout->addWidget(evaluate_);
  scores_ = new QTableWidget(0, 4, this);
  scores_->setObjectName("annotationScores");
  scores_->setHorizontalHeaderLabels({tr("method"), tr("n"), tr("cIoU@0.5"), tr("AUC")});
  scores_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  scores_->verticalHeader()->hide();
  scores_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(scores_, 1);
  evalStatus_ =
      new QLabel(tr("relative prediction (top 50 %), real audio, boxes as ground truth"), this);
  evalStatus_->setObjectName("evaluationStatus");
  evalStatus_->setWordWrap(true);
  layout->addWidget(evalStatus_);

  connect(list_, &QListWidget::currentRowChanged, this, [this] {
    if (!updating_ && currentId() != 0) {
      Q_EMIT selected(currentId());
    }
  });
  connect(list_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    Q_EMIT seekRequested(item->data(Qt::UserRole + 1).toDouble());
  });
  connect(tag_, &QComboBox::currentIndexChanged, this, [this] { emitTag(); });
  connect(customTag_, &QLineEdit::editingFinished, this, [this] { emitTag(); });
  connect(note_, &QLineEdit::editingFinished, this, [this] {
    if (!updating_ && currentId() != 0) {
      Q_EMIT noteEdited(currentId(), note_->text());
    }
  });
  connect(delete_, &QPushButton::clicked, this, [this] {
    if (currentId() != 0) {
      Q_EMIT deleteClicked(currentId());
    }
  });
  connect(coco, &QPushButton::clicked, this, &AnnotationPanel::exportCocoClicked);
  connect(csv, &QPushButton::clicked, this, &AnnotationPanel::exportCsvClicked);
  connect(import, &QPushButton::clicked, this, &AnnotationPanel::importCocoClicked);
  connect(object_, &QComboBox::currentIndexChanged, this, [this] {
    if (!updating_ && object_->currentIndex() >= 0) {
      Q_EMIT objectSelected(object_->currentData().toInt());
    }
  });
  connect(objectLabel_, &QLineEdit::editingFinished, this, [this] {
    const int objectId = object_->currentData().toInt();
    if (!updating_ && currentId() != 0 && objectId != 0) {
      Q_EMIT objectLabelEdited(currentId(), objectId, objectLabel_->text());
    }
  });
  connect(evaluate_, &QPushButton::clicked, this, &AnnotationPanel::evaluateClicked);
}

int AnnotationPanel::currentId() const {
  const QListWidgetItem* item = list_->currentItem();
  return item != nullptr ? item->data(Qt::UserRole).toInt() : 0;
}

void AnnotationPanel::emitTag() {
  if (updating_ || currentId() == 0) {
    return;
  }
  Q_EMIT tagEdited(currentId(), static_cast<FailureTag>(tag_->currentData().toInt()),
                   customTag_->text());
}

void AnnotationPanel::setDocument(const AnnotationDocument& document, int selectedId,
                                  int selectedObject) {
  updating_ = true;
  list_->clear();
  const FailureAnnotation* current = nullptr;
  for (const FailureAnnotation& a : document.items()) {
    auto* item =
        new QListWidgetItem(tr("#%1  %2-%3 s  %4  [%5, %6]%7")
                                .arg(a.id)
                                .arg(a.startSeconds, 0, 'f', 2)
                                .arg(a.endSeconds, 0, 'f', 2)
                                .arg(QString::fromStdString(a.tagText()))
                                .arg(QString::fromStdString(a.method))
                                .arg(QString::fromStdString(audioConditionLabel(a.condition)))
                                .arg(a.objects.empty() ? QString()
                                                       : tr("  %1 object(s), %2 keyframe(s)")
                                                             .arg(a.objects.size())
                                                             .arg(a.keyframeCount())),
                            list_);
    item->setData(Qt::UserRole, a.id);
    item->setData(Qt::UserRole + 1, a.startSeconds);
    if (!a.note.empty()) {
      item->setToolTip(QString::fromStdString(a.note));
    }
    if (a.id == selectedId) {
      list_->setCurrentItem(item);
      current = &a;
    }
  }
  tag_->setEnabled(current != nullptr);
  customTag_->setEnabled(current != nullptr);
  note_->setEnabled(current != nullptr);
  delete_->setEnabled(current != nullptr);
  object_->clear();
  objectLabel_->clear();
  object_->setEnabled(current != nullptr);
  objectLabel_->setEnabled(current != nullptr);
  if (current != nullptr) {
    bool listed = false;
    for (const ObjectTrack& o : current->objects) {
      object_->addItem(tr("#%1 %2 %3 (%4)")
                           .arg(o.id)
                           .arg(QString::fromStdString(objectShapeName(o.shape)))
                           .arg(QString::fromStdString(o.label))
                           .arg(o.keyframes.size()),
                       o.id);
      if (o.id == selectedObject) {
        object_->setCurrentIndex(object_->count() - 1);
        objectLabel_->setText(QString::fromStdString(o.label));
        listed = true;
      }
    }
    object_->addItem(listed || current->objects.empty() ? tr("new object")
                                                        : tr("new object #%1").arg(selectedObject),
                     0);
    if (!listed) {
      object_->setCurrentIndex(object_->count() - 1);
    }
    tag_->setCurrentIndex(tag_->findData(static_cast<int>(current->tag)));
    customTag_->setText(QString::fromStdString(current->customTag));
    note_->setText(QString::fromStdString(current->note));
  } else {
    customTag_->clear();
    note_->clear();
  }
  updating_ = false;
}

void AnnotationPanel::setSavedPath(const QString& path) {
  saved_->setText(tr("saved: %1").arg(QFileInfo(path).fileName()));
  saved_->setToolTip(path);
}

void AnnotationPanel::setScores(const std::vector<AnnotationScore>& scores, const QString& status) {
  scores_->setRowCount(static_cast<int>(scores.size()));
  for (int r = 0; r < static_cast<int>(scores.size()); ++r) {
    const AnnotationScore& s = scores[static_cast<size_t>(r)];
    scores_->setItem(r, 0, new QTableWidgetItem(s.method));
    scores_->setItem(r, 1, new QTableWidgetItem(QString::number(s.samples)));
    scores_->setItem(r, 2, new QTableWidgetItem(QString::number(s.ciou50, 'f', 1)));
    scores_->setItem(r, 3, new QTableWidgetItem(QString::number(s.auc, 'f', 1)));
  }
  evalStatus_->setText(status);
}

void AnnotationPanel::setEvaluating(bool running) {
  evaluate_->setText(running ? tr("Stop scoring") : tr("Score views on my boxes"));
}

void AnnotationPanel::setEvaluationStatus(const QString& status) {
  evalStatus_->setText(status);
}

}  // namespace heardmap
