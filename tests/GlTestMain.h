// main() for QtTest suites that need a real OpenGL 3.3 core context (run them under xvfb-run).
#pragma once

#include <QApplication>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTest>
#include <QWidget>

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

// Shows a window and makes it the active one: Xvfb has no window manager to activate it, and
// window shortcuts need an active window. (QVERIFY: call from a test function.)
inline void showActive(QWidget& window) {
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&window));
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
