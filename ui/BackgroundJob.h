// The app's one pattern for long work off the GUI thread (grid export, scoring on annotations):
// the work runs on its own thread with a progress callback and a cancel flag; its progress and
// its end arrive on the GUI thread as signals; cancel() asks it to stop at its next step; a job
// destroyed while it runs is cancelled and waited for (so closing the window never leaves a
// thread behind). Training, which runs in its own process, is TrainerProcess.
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <thread>

namespace heardmap {

class BackgroundJob : public QObject {
  Q_OBJECT

 public:
  // What the work is given: report(done, total) for progress, and the flag cancel() sets.
  using Report = std::function<void(int done, int total)>;
  using Work = std::function<void(const Report& report, const std::atomic<bool>& cancel)>;

  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;

  // Runs work on a new thread; false (nothing started) while a job runs.
  bool start(Work work);
  bool isRunning() const { return running_.load(); }
  // Asks the running work to stop at its next step; finished() still comes.
  void cancel() { cancel_ = true; }
  bool cancelRequested() const { return cancel_.load(); }
  // Returns when the job has ended, running the event loop meanwhile (a modal dialog's wait).
  void waitKeepingEventsAlive();
  // Cancels the work and waits for its thread, without the event loop (finished() does not come):
  // for an owner's destructor, before what the work writes into goes away.
  void cancelAndWait();

 Q_SIGNALS:
  void progress(int done, int total);
  // The work returned (error empty) or threw (its message). Comes on the GUI thread.
  void finished(const QString& error);

 private:
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace heardmap
