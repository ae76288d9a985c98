#include "ShortcutDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ShortcutMap.h"

namespace heardmap {

ShortcutDialog::ShortcutDialog(ShortcutMap* map, QWidget* parent) : QDialog(parent), map_(map) {
  setWindowTitle(tr("Keyboard shortcuts"));
  auto* layout = new QVBoxLayout(this);
  table_ = new QTableWidget(0, 2, this);
  table_->setHorizontalHeaderLabels({tr("Command"), tr("Key")});
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  layout->addWidget(table_);
  auto* buttons =
      new QDialogButtonBox(QDialogButtonBox::Close | QDialogButtonBox::RestoreDefaults, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
  connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
    map_->resetToDefaults();
    fill();
  });
  fill();
  resize(460, 520);
}

void ShortcutDialog::fill() {
  table_->setRowCount(static_cast<int>(map_->entries().size()));
  int row = 0;
  for (const ShortcutEntry& entry : map_->entries()) {
    auto* name = new QTableWidgetItem(entry.description);
    name->setFlags(Qt::ItemIsEnabled);
    table_->setItem(row, 0, name);
    auto* edit = new QKeySequenceEdit(entry.key, table_);
    edit->setObjectName("key-" + entry.id);
    const QString id = entry.id;
    connect(edit, &QKeySequenceEdit::editingFinished, this, [this, edit, id] {
      QString conflict;
      if (!map_->rebind(id, edit->keySequence(), &conflict)) {
        QMessageBox::warning(
            this, tr("Key in use"),
            tr("%1 is already the key of \"%2\".").arg(edit->keySequence().toString(), conflict));
        edit->setKeySequence(map_->key(id));
      }
    });
    table_->setCellWidget(row, 1, edit);
    ++row;
  }
}

}  // namespace heardmap
