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

AnnotationPanel::AnnotationPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* help = new QLabel(tr("I / O: start / end of a failure range. Shift+drag on a view: box "
                             "at this frame (marks where the sound really is)."),
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
  buttons->addWidget(delete_);
  buttons->addWidget(coco);
  buttons->addWidget(csv);
  layout->addLayout(buttons);
  saved_ = new QLabel(this);
  saved_->setObjectName("annotationSaved");
  saved_->setWordWrap(true);
  layout->addWidget(saved_);

  auto* evaluate = new QPushButton(tr("Score views on my boxes"), this);
  evaluate->setObjectName("evaluateAnnotations");
  layout->addWidget(evaluate);
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
  connect(evaluate, &QPushButton::clicked, this, &AnnotationPanel::evaluateClicked);
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

void AnnotationPanel::setDocument(const AnnotationDocument& document, int selectedId) {
  updating_ = true;
  list_->clear();
  const FailureAnnotation* current = nullptr;
  for (const FailureAnnotation& a : document.items()) {
    auto* item = new QListWidgetItem(
        tr("#%1  %2-%3 s  %4  [%5, %6]%7")
            .arg(a.id)
            .arg(a.startSeconds, 0, 'f', 2)
            .arg(a.endSeconds, 0, 'f', 2)
            .arg(QString::fromStdString(a.tagText()))
            .arg(QString::fromStdString(a.method))
            .arg(QString::fromStdString(audioConditionLabel(a.condition)))
            .arg(a.keyframes.empty() ? QString() : tr("  %1 box(es)").arg(a.keyframes.size())),
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
  if (current != nullptr) {
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

void AnnotationPanel::setEvaluationStatus(const QString& status) {
  evalStatus_->setText(status);
}

}  // namespace heardmap
