// Where the generated media fixtures live (tests/make-fixtures.sh, run by CTest's setup fixture).
#pragma once

#include <QDeadlineTimer>
#include <QString>
#include <QTest>
#include <QtGlobal>

namespace heardmap::test {

inline QString fixture(const QString& name) {
  return qEnvironmentVariable("HEARDMAP_FIXTURES") + "/" + name;
}

// Polls condition (which may have side effects: it runs until it first returns true) while
// processing events, for at most timeoutMs.
template <typename Condition>
bool waitUntil(Condition condition, int timeoutMs = 5000) {
  QDeadlineTimer deadline(timeoutMs);
  while (!condition()) {
    if (deadline.hasExpired()) {
      return false;
    }
    QTest::qWait(5);
  }
  return true;
}

}  // namespace heardmap::test
