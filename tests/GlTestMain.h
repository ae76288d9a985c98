// main() for QtTest suites that need a real OpenGL 3.3 core context (run them under xvfb-run).
#pragma once

#include <QApplication>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTest>

namespace heardmap::test {

// What a test of the real main window runs with: no sound device, no modal dialogs, its saved
// session in a test location of its own (applicationName). Call after the xcb check.
inline void useTestSession(const char* applicationName) {
  qputenv("HEARDMAP_NO_AUDIO", "1");
  qputenv("HEARDMAP_NO_DIALOGS", "1");
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("HeardmapTest");
  QCoreApplication::setApplicationName(applicationName);
}

template <typename TestObject>
int runGlTest(int argc, char** argv) {
  // Must precede the QApplication, as in the app's main().
  QSurfaceFormat format;
  format.setVersion(3, 3);
  format.setProfile(QSurfaceFormat::CoreProfile);
  QSurfaceFormat::setDefaultFormat(format);
  QApplication app(argc, argv);
  TestObject test;
  return QTest::qExec(&test, argc, argv);
}

}  // namespace heardmap::test
