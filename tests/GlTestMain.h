// main() for QtTest suites that need a real OpenGL 3.3 core context (run them under xvfb-run).
#pragma once

#include <QApplication>
#include <QSurfaceFormat>
#include <QTest>

namespace heardmap::test {

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
