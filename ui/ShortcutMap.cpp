#include "ShortcutMap.h"

#include <QSettings>
#include <QShortcut>
#include <QWidget>

namespace heardmap {

ShortcutMap::ShortcutMap(QWidget* window) : QObject(window), window_(window) {}

void ShortcutMap::add(const QString& id, const QString& description, const QKeySequence& defaultKey,
                      std::function<void()> action) {
  ShortcutEntry entry;
  entry.id = id;
  entry.description = description;
  entry.defaultKey = defaultKey;
  entry.key = defaultKey;
  entry.shortcut = new QShortcut(defaultKey, window_);
  entry.shortcut->setContext(Qt::WindowShortcut);
  connect(entry.shortcut, &QShortcut::activated, this, std::move(action));
  entries_.push_back(entry);
}

bool ShortcutMap::rebind(const QString& id, const QKeySequence& key, QString* conflict) {
  for (const ShortcutEntry& e : entries_) {
    if (e.id != id && !key.isEmpty() && e.key == key) {
      if (conflict != nullptr) {
        *conflict = e.description;
      }
      return false;
    }
  }
  for (ShortcutEntry& e : entries_) {
    if (e.id == id) {
      e.key = key;
      e.shortcut->setKey(key);
      Q_EMIT changed();
      return true;
    }
  }
  return false;
}

void ShortcutMap::resetToDefaults() {
  for (ShortcutEntry& e : entries_) {
    e.key = e.defaultKey;
    e.shortcut->setKey(e.key);
  }
  Q_EMIT changed();
}

QKeySequence ShortcutMap::key(const QString& id) const {
  for (const ShortcutEntry& e : entries_) {
    if (e.id == id) {
      return e.key;
    }
  }
  return {};
}

void ShortcutMap::load(QSettings& settings) {
  settings.beginGroup("shortcuts");
  for (ShortcutEntry& e : entries_) {
    if (settings.contains(e.id)) {
      e.key = QKeySequence(settings.value(e.id).toString(), QKeySequence::PortableText);
      e.shortcut->setKey(e.key);
    }
  }
  settings.endGroup();
  Q_EMIT changed();
}

void ShortcutMap::save(QSettings& settings) const {
  settings.beginGroup("shortcuts");
  for (const ShortcutEntry& e : entries_) {
    if (e.key == e.defaultKey) {
      settings.remove(e.id);
    } else {
      settings.setValue(e.id, e.key.toString(QKeySequence::PortableText));
    }
  }
  settings.endGroup();
}

}  // namespace heardmap
