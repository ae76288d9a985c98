#include "BackgroundJob.h"

#include <QEventLoop>
#include <exception>

namespace heardmap {

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
  cancelAndWait();  // closing the window does not wait for the whole work
}

void BackgroundJob::cancelAndWait() {
  cancel_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool BackgroundJob::start(Work work) {
  if (running_) {
    return false;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  running_ = true;
  cancel_ = false;
  thread_ = std::thread([this, work = std::move(work)] {
    QString error;
    try {
      work(
          [this](int done, int total) {
            QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT progress(done, total); });
          },
          cancel_);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, error] {
      running_ = false;
      Q_EMIT finished(error);
    });
  });
  return true;
}

void BackgroundJob::waitKeepingEventsAlive() {
  if (!running_) {
    return;
  }
  QEventLoop loop;
  connect(this, &BackgroundJob::finished, &loop, &QEventLoop::quit);
  loop.exec();
}

}  // namespace heardmap
