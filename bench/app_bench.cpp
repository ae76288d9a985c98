// heardmap-app-bench: the app's own pipeline as the GUI runs it (decode, audio windows,
// inference on the InferenceWorker, GL upload and draw), in the real main window under Xvfb, next
// to the inference-only bound of the same views measured in the same run; and the start-up time
// of the real binary to maps in every view. Prints a table (medians).
// Usage: xvfb-run -a -s "-screen 0 1400x900x24" heardmap-app-bench [CLIP ...] [--seconds S]
//        [--threads N] [--quick]   (no clips: 480x360 and 1280x720 clips made with the ffmpeg CLI)
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/ThreadingEnvironment.h"
#include "app/media/AudioTrack.h"
#include "app/media/VideoDecoder.h"
#include "core/AudioWindow.h"
#include "core/ml/InferenceWorker.h"
#include "core/ml/LocalizationModel.h"
#include "ui/MainWindow.h"
#include "ui/PlayerController.h"
#include "ui/VideoView.h"
#include "ui/ViewGrid.h"

using namespace heardmap;

namespace {

// Torch threads, as the app runs (app/main.cpp: the target machine has 2 cores).
constexpr int kInferenceThreads = 2;
// Frames of the clip timed for the inference-only bound (full-size models: fewer).
constexpr int kBoundFrames = 24;
constexpr int kBoundFramesFull = 10;
// Start-up runs of the real binary per view count.
constexpr int kStartupRuns = 3;
// The window size the app is measured at, in pixels.
constexpr int kWindowWidthPx = 1280;
constexpr int kWindowHeightPx = 800;

double median(std::vector<double> v) {
  if (v.empty()) {
    return 0.0;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void row(const QString& clip, const QString& models, int views, const QString& app,
         const QString& bound, const QString& ratio, const QString& shown, const QString& draws) {
  std::printf("| %-8s | %-20s | %5d | %10s | %14s | %5s | %13s | %7s |\n", qPrintable(clip),
              qPrintable(models), views, qPrintable(app), qPrintable(bound), qPrintable(ratio),
              qPrintable(shown), qPrintable(draws));
  std::fflush(stdout);
}

// Runs the event loop for ms milliseconds.
void spin(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

// Runs the event loop until done() or timeoutMs; false on timeout.
bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeoutMs) {
      return false;
    }
    spin(10);
  }
  return true;
}

// A clip made with the ffmpeg CLI: a test pattern with a tone, at a real clip's size and rate.
QString makeClip(const QTemporaryDir& dir, int width, int height, int fps) {
  const QString path = dir.filePath(QStringLiteral("pattern-%1x%2.mp4").arg(width).arg(height));
  QProcess::execute(
      "ffmpeg",
      {"-v", "error", "-y", "-f", "lavfi", "-i",
       QStringLiteral("testsrc2=size=%1x%2:rate=%3:duration=6").arg(width).arg(height).arg(fps),
       "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:v", "libx264", "-pix_fmt",
       "yuv420p", "-c:a", "aac", "-shortest", path});
  return path;
}

// Median milliseconds of one frame of every view's maps on the InferenceWorker (as the app runs
// it, minus everything else): the inference-only bound.
double boundMs(const QString& clip, const std::vector<std::string>& checkpoints, int frames) {
  std::vector<std::shared_ptr<LocalizationModel>> models;
  for (const std::string& path : checkpoints) {
    models.push_back(LocalizationModel::open(path));
  }
  InferenceWorker worker;
  const uint64_t generation = worker.setModels(models);
  VideoDecoder decoder(clip.toStdString());
  const AudioTrack track = decodeAudio(clip.toStdString(), 48000, decoder.info().durationSeconds);
  std::vector<std::vector<float>> audio;
  for (const auto& model : models) {
    audio.push_back(resampleMono(track.samples, 48000, model->contract().sampleRateHz));
  }
  std::vector<double> ms;
  for (int i = 0; i < frames + 2; ++i) {
    const std::optional<RgbImage> frame = decoder.nextFrame();
    if (!frame) {
      break;
    }
    InferenceRequest request;
    request.frame = *frame;
    request.generation = generation;
    for (size_t m = 0; m < models.size(); ++m) {
      request.audioWindows.push_back(
          cutAudioWindow(audio[m], frame->timeSeconds, models[m]->contract()));
    }
    QElapsedTimer timer;
    timer.start();
    worker.infer(std::move(request));
    if (i >= 2) {  // two warm-up frames
      ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
  }
  return median(ms);
}

struct AppRates {
  double mapsPerSecond = 0.0;   // frames with every view's map
  double shownFps = 0.0;        // new frames put on screen
  double drawsPerSecond = 0.0;  // paintGL calls of the first view (frames and maps)
};

// The real main window playing the clip with these checkpoints, one per view.
AppRates appRates(const QString& clip, const std::vector<std::string>& checkpoints,
                  double seconds) {
  MainWindow window;
  window.resize(kWindowWidthPx, kWindowHeightPx);
  window.show();
  const int views = static_cast<int>(checkpoints.size());
  window.setViewCount(views, /*fill=*/false);
  for (int i = 0; i < views; ++i) {
    window.loadModelIntoView(i, QString::fromStdString(checkpoints[static_cast<size_t>(i)]),
                             MainWindow::LoadFailure::ShowInView);
  }
  PlayerController* player = window.controller();
  window.openMedia(clip);
  int sets = 0;
  int drawn = 0;
  int shown = 0;
  QObject::connect(player, &PlayerController::heatmapsUpdated, [&] { ++sets; });
  QObject::connect(player, &PlayerController::frameReady, [&] { ++shown; });
  VideoView* first = window.grid()->view(0);
  spinUntil([&] { return sets > 0; }, 60000);  // the paused first frame's maps
  player->play();
  spin(500);  // warm-up
  sets = 0;
  shown = 0;
  const uint64_t paintsBefore = first->paintCount();
  QElapsedTimer timer;
  timer.start();
  spin(static_cast<int>(seconds * 1000));
  const double elapsed = static_cast<double>(timer.elapsed()) / 1000.0;
  drawn = static_cast<int>(first->paintCount() - paintsBefore);
  player->pause();
  return {sets / elapsed, shown / elapsed, drawn / elapsed};
}

// Milliseconds from starting the real binary to maps in every view (median of kStartupRuns).
double startupMs(const QString& clip, int views, const QString& configHome) {
  std::vector<double> ms;
  for (int run = 0; run < kStartupRuns; ++run) {
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HEARDMAP_REPORT_STARTUP", "1");
    env.insert("HEARDMAP_NO_AUDIO", "1");
    env.insert("XDG_CONFIG_HOME", configHome);  // not the user's saved session
    app.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    app.start(QCoreApplication::applicationDirPath() + "/heardmap",
              {clip, "--fresh", "--views", QString::number(views)});
    QByteArray err;
    while (!err.contains("every view has its map") && timer.elapsed() < 120000) {
      app.setReadChannel(QProcess::StandardError);
      app.waitForReadyRead(100);
      err += app.readAllStandardError();
      if (app.state() == QProcess::NotRunning) {
        break;
      }
    }
    if (err.contains("every view has its map")) {
      ms.push_back(static_cast<double>(timer.elapsed()));
    } else {
      std::fprintf(stderr, "start-up run failed: %s\n", err.constData());
    }
    app.kill();
    app.waitForFinished();
  }
  return median(ms);
}

}  // namespace

// Longer than 80 lines: the table's rows in the order they print, each measured where it is.
int main(int argc, char** argv) {
  reexecWithThreadingEnvironment(argv);  // as the app runs: measured like the app
  QSurfaceFormat format;
  format.setVersion(3, 3);
  format.setProfile(QSurfaceFormat::CoreProfile);
  QSurfaceFormat::setDefaultFormat(format);
  qputenv("HEARDMAP_NO_AUDIO", "1");
  qputenv("HEARDMAP_NO_DIALOGS", "1");
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // the bench's windows do not save the user's session
  QCoreApplication::setOrganizationName("HeardmapBench");
  QCoreApplication::setApplicationName("heardmap-app-bench");
  LocalizationModel::setThreadCount(kInferenceThreads);

  QStringList clips;
  double seconds = 4.0;
  bool quick = false;
  const QStringList args = app.arguments().mid(1);
  for (int i = 0; i < args.size(); ++i) {
    if (args[i] == "--seconds" && i + 1 < args.size()) {
      seconds = args[++i].toDouble();
    } else if (args[i] == "--threads" && i + 1 < args.size()) {
      LocalizationModel::setThreadCount(args[++i].toInt());
    } else if (args[i] == "--quick") {
      quick = true;
    } else {
      clips << args[i];
    }
  }
  QTemporaryDir dir;
  if (clips.isEmpty()) {
    clips << makeClip(dir, 480, 360, 25) << makeClip(dir, 1280, 720, 30);
  }
  // The model sets: the shipped models (one per view, in method order) and the papers'
  // full-size ResNet-18 pair (224 px, D = 512: the size of every official checkpoint).
  const std::vector<std::string> shipped = MainWindow::shippedModelPaths();
  std::vector<std::string> full;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const std::string path =
        dir.filePath(QStringLiteral("full-%1.safetensors").arg(seed)).toStdString();
    LocalizationModel::createUntrained(ModelConfig::full(), PreprocessingContract::ezvsl(), seed)
        ->save(path);
    full.push_back(path);
  }
  // bound: the views' maps per second on the InferenceWorker alone, but at most the clip's frame
  // rate (the app asks for one set of maps per frame shown).
  std::printf("| %-8s | %-20s | %5s | %10s | %14s | %5s | %13s | %7s |\n", "clip", "models",
              "views", "app maps/s", "bound (infer)", "ratio", "frames/s (clip)", "draws/s");
  std::printf(
      "|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(10, '-').c_str(), std::string(22, '-').c_str(),
      std::string(7, '-').c_str(), std::string(12, '-').c_str(), std::string(16, '-').c_str(),
      std::string(7, '-').c_str(), std::string(15, '-').c_str(), std::string(9, '-').c_str());
  for (const QString& clip : clips) {
    VideoDecoder probe(clip.toStdString());
    const QString size = QStringLiteral("%1x%2").arg(probe.info().width).arg(probe.info().height);
    const double clipFps = probe.info().frameRate;
    for (const bool isFull : {false, true}) {
      const std::vector<std::string>& set = isFull ? full : shipped;
      if (set.empty()) {
        continue;
      }
      for (const int views : quick ? std::vector<int>{1, 6} : std::vector<int>{1, 4, 6}) {
        std::vector<std::string> checkpoints;
        for (int v = 0; v < views; ++v) {
          checkpoints.push_back(set[static_cast<size_t>(v) % set.size()]);
        }
        const double infer =
            1000.0 / boundMs(clip, checkpoints, isFull ? kBoundFramesFull : kBoundFrames);
        const double bound = std::min(infer, clipFps);
        const AppRates rates = appRates(clip, checkpoints, seconds);
        row(size, isFull ? "ResNet-18 full 224" : "shipped (small)", views,
            QString::number(rates.mapsPerSecond, 'f', 1),
            QStringLiteral("%1 (%2)").arg(bound, 0, 'f', 1).arg(infer, 0, 'f', 1),
            QString::number(rates.mapsPerSecond / bound, 'f', 2),
            QStringLiteral("%1 (%2)").arg(rates.shownFps, 0, 'f', 1).arg(clipFps, 0, 'f', 1),
            QString::number(rates.drawsPerSecond, 'f', 1));
      }
    }
  }
  QTemporaryDir config;
  std::printf("\n| start-up of bin/heardmap to maps in every view (%s) | median ms |\n",
              qPrintable(QFileInfo(clips.front()).fileName()));
  std::printf("|---|---|\n");
  for (const int views : {1, 6}) {
    std::printf("| %d view(s), shipped models | %.0f |\n", views,
                startupMs(clips.front(), views, config.path()));
  }
  return 0;
}
