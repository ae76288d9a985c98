// Edits the key bindings of a ShortcutMap: one row per command with a key editor; conflicts are
// refused with the name of the command that has the key.
#pragma once

#include <QDialog>

class QTableWidget;

namespace heardmap {

class ShortcutMap;

class ShortcutDialog : public QDialog {
  Q_OBJECT

 public:
  ShortcutDialog(ShortcutMap* map, QWidget* parent);

 private:
  void fill();

  ShortcutMap* map_;
  QTableWidget* table_ = nullptr;
};

}  // namespace heardmap
