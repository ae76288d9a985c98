// The app's keyboard commands: each has a stable id, a description and a default key; the user can
// rebind them (saved in QSettings under "shortcuts/<id>"). Owns the QShortcut objects.
#pragma once

#include <QKeySequence>
#include <QObject>
#include <QString>
#include <functional>
#include <vector>

class QShortcut;
class QSettings;
class QWidget;

namespace heardmap {

struct ShortcutEntry {
  QString id;           // e.g. "play-pause"
  QString description;  // e.g. "Play / pause"
  QKeySequence defaultKey;
  QKeySequence key;
  QShortcut* shortcut = nullptr;
};

class ShortcutMap : public QObject {
  Q_OBJECT

 public:
  explicit ShortcutMap(QWidget* window);

  void add(const QString& id, const QString& description, const QKeySequence& defaultKey,
           std::function<void()> action);
  const std::vector<ShortcutEntry>& entries() const { return entries_; }
  // Rebinds (an empty sequence disables). Returns false if another command has that key.
  bool rebind(const QString& id, const QKeySequence& key, QString* conflict = nullptr);
  void resetToDefaults();
  QKeySequence key(const QString& id) const;
  void load(QSettings& settings);
  void save(QSettings& settings) const;

 Q_SIGNALS:
  void changed();

 private:
  QWidget* window_;
  std::vector<ShortcutEntry> entries_;
};

}  // namespace heardmap
