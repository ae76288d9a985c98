// Where the generated media fixtures live (tests/make-fixtures.sh, run by CTest's setup fixture).
#pragma once

#include <QDeadlineTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QtGlobal>
#include <cmath>
#include <vector>

namespace heardmap::test {

inline QString fixture(const QString& name) {
  return qEnvironmentVariable("HEARDMAP_FIXTURES") + "/" + name;
}

// How a run of the heardmap binary (HEARDMAP_BINARY) ended.
struct CliRun {
  int exitCode = -1;     // -1 when it died of a signal
  bool crashed = false;  // ended by a signal (a crash, or the time limit)
  QString output;        // stdout and stderr together
};

// Runs heardmap with arguments (the first names the subcommand) as a user would, without a sound
// device, and waits at most timeoutMs.
inline CliRun runHeardmap(const QStringList& arguments, int timeoutMs = 240000) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("HEARDMAP_NO_AUDIO", "1");
  process.setProcessEnvironment(env);
  process.start(qEnvironmentVariable("HEARDMAP_BINARY"), arguments);
  process.waitForFinished(timeoutMs);
  const bool crashed = process.exitStatus() != QProcess::NormalExit;
  return {crashed ? -1 : process.exitCode(), crashed, QString::fromUtf8(process.readAll())};
}

// Debian's Python with python3-torch (scripts/install-deps.sh); the pyenv python3 on PATH lacks it.
constexpr const char* kTorchPython = "/usr/bin/python3";

// Re-saves the tensors of a safetensors file with the real torch.save (tests/pth/torch_save.py) in
// an official layout, e.g. {"--layout", "ezvsl"}. Returns torch's output; empty on success.
inline QString realTorchSave(const QString& safetensorsPath, const QString& outPath,
                             const QStringList& options) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(kTorchPython,
                QStringList{qEnvironmentVariable("HEARDMAP_TEST_SOURCES") + "/pth/torch_save.py",
                            safetensorsPath, outPath} +
                    options);
  process.waitForFinished(120000);
  const QString output = QString::fromUtf8(process.readAll());
  if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
    return "torch_save.py failed (is python3-torch installed? scripts/install-deps.sh): " + output;
  }
  return {};
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
