// The failure list of the open clip and the editor of the selected one (tag, custom tag, note, its
// objects and their labels), export and COCO import buttons, and the metrics table (cIoU / AUC of
// every view's model on the annotated boxes). Dumb: shows what it is given and emits intents.
#pragma once

#include <QWidget>

#include "core/annotate/AnnotationDocument.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace heardmap {

// One method's scores on the user's annotated boxes.
struct AnnotationScore {
  QString method;
  int samples = 0;
  double ciou50 = 0.0;  // % of samples with cIoU >= 0.5 (relative, top-50 % prediction)
  double auc = 0.0;     // area under the success curve, x100
  double meanIoU = 0.0;
};

class AnnotationPanel : public QWidget {
  Q_OBJECT

 public:
  explicit AnnotationPanel(QWidget* parent = nullptr);

  // selectedObject: the object that new boxes go to (may not exist yet: a new object).
  void setDocument(const AnnotationDocument& document, int selectedId, int selectedObject);
  void setSavedPath(const QString& path);
  void setScores(const std::vector<AnnotationScore>& scores, const QString& status);
  void setEvaluationStatus(const QString& status);
  // While scoring runs, its button stops it.
  void setEvaluating(bool running);

 Q_SIGNALS:
  void selected(int id);
  void tagEdited(int id, heardmap::FailureTag tag, const QString& customTag);
  void noteEdited(int id, const QString& note);
  void deleteClicked(int id);
  void removeBoxClicked();  // the selected failure's box at the current frame
  void exportCocoClicked();
  void importCocoClicked();
  // The object new boxes go to; 0: a new one.
  void objectSelected(int objectId);
  void objectLabelEdited(int id, int objectId, const QString& label);
  void exportCsvClicked();
  void evaluateClicked();
  void seekRequested(double seconds);

 private:
  void emitTag();
  int currentId() const;

  QListWidget* list_ = nullptr;
  QComboBox* tag_ = nullptr;
  QLineEdit* customTag_ = nullptr;
  QLineEdit* note_ = nullptr;
  QComboBox* object_ = nullptr;
  QLineEdit* objectLabel_ = nullptr;
  QPushButton* delete_ = nullptr;
  QLabel* saved_ = nullptr;
  QTableWidget* scores_ = nullptr;
  QLabel* evalStatus_ = nullptr;
  QPushButton* evaluate_ = nullptr;
  bool updating_ = false;
};

}  // namespace heardmap
