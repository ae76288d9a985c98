// Where the generated media fixtures live (tests/make-fixtures.sh, run by CTest's setup fixture).
#pragma once

#include <QDeadlineTimer>
#include <QString>
#include <QTest>
#include <QtGlobal>
#include <cmath>
#include <vector>

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

// Root mean square of samples (0 for none).
inline double rms(const std::vector<float>& samples) {
  double sum = 0.0;
  for (float x : samples) {
    sum += static_cast<double>(x) * x;
  }
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace heardmap::test
