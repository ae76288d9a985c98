// heardmap: the desktop app, and headless subcommands (`heardmap render ...`).
#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSurfaceFormat>
#include <QTimer>
#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

#include "app/ThreadingEnvironment.h"
#include "app/cli/Subcommands.h"
#include "core/FlagValue.h"
#include "core/ml/LocalizationModel.h"
#include "ui/MainWindow.h"
#include "ui/PlayerController.h"

namespace {

// Most torch threads for inference by default: the machine's cores but one, which decoding and
// drawing keep (bench/app_bench: on 2 cores under Xvfb, 2 threads gave 7.2 maps/s with 6 views
// but 22 frames/s of a 25 fps clip; 1 thread 6.0 maps/s and 25 frames/s).
constexpr int kMaxDefaultInferenceThreads = 8;
// The app's command line (the subcommands parse their own).
struct AppFlags {
  QCommandLineOption demo{"demo", "Open the built-in demo clip."};
  QCommandLineOption checkpoint{
      "checkpoint",
      "Model checkpoint (.safetensors or .pth), or 'untrained'; repeat it for more views "
      "(the n-th goes to view n).",
      "file"};
  QCommandLineOption method{
      "method",
      "How to read the n-th --checkpoint when its tensor names do not say its method (a .pth of "
      "EZ-VSL names: ezvsl, fnac, marginnce, lvs, sslsan; an LVS AVENet: sslalign); 'auto' "
      "leaves it to the names.",
      "name"};
  QCommandLineOption start{"start", "Open the media at this time.", "seconds"};
  QCommandLineOption play{"play", "Start playing at once."};
  QCommandLineOption quitAfter{"quit-after", "Quit after this many seconds (screenshots, tests).",
                               "seconds"};
  QCommandLineOption fresh{
      "fresh", "Start without the saved views, probes and overlay (the recent files are kept)."};
  QCommandLineOption views{"views", "Number of views in the grid (1-6).", "n"};
  QCommandLineOption threads{
      "inference-threads",
      "Torch threads for the models (default: the cores but one, at most 8; the other core "
      "decodes and draws).",
      "n"};

  void describe(QCommandLineParser& parser) const {
    parser.setApplicationDescription(
        "Shows where in the picture a sound comes from.\n"
        "Headless: heardmap render|eval|data|curves ... (each with its own --help).");
    parser.addHelpOption();
    parser.addPositionalArgument("media", "Video file to open.");
    parser.addOptions({demo, checkpoint, method, play, quitAfter, fresh, views, start, threads});
  }
};

// Whether the command line asks for the help text, which needs no display.
bool asksForHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    for (const char* flag : {"-h", "--help", "-?", "--help-all"}) {
      if (std::strcmp(argv[i], flag) == 0) {
        return true;
      }
    }
  }
  return false;
}

// The flags' numbers, checked: a bad one is an error that names the flag.
struct AppNumbers {
  int viewCount = 0;
  int threadCount = 1;
  double startSeconds = 0.0;
  double quitSeconds = 0.0;
};

std::optional<AppNumbers> readNumbers(const QCommandLineParser& parser, const AppFlags& flags) {
  AppNumbers n;
  n.threadCount = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1,
                             kMaxDefaultInferenceThreads);
  try {
    const auto integer = [&](const QCommandLineOption& option, long long low, long long high) {
      return static_cast<int>(heardmap::integerInRange("--" + option.names().front().toStdString(),
                                                       parser.value(option).toStdString(), low,
                                                       high));
    };
    const auto number = [&](const QCommandLineOption& option, double low, double high) {
      return heardmap::numberInRange("--" + option.names().front().toStdString(),
                                     parser.value(option).toStdString(), low, high);
    };
    n.viewCount = parser.isSet(flags.views) ? integer(flags.views, 1, 6) : 0;
    n.threadCount = parser.isSet(flags.threads) ? integer(flags.threads, 1, 256) : n.threadCount;
    n.startSeconds = parser.isSet(flags.start) ? number(flags.start, 0.0, 1e7) : 0.0;
    n.quitSeconds = parser.isSet(flags.quitAfter) ? number(flags.quitAfter, 0.0, 1e7) : 0.0;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "heardmap: %s\n", e.what());
    return std::nullopt;
  }
  return n;
}

// The --checkpoint files into the first views, each with the --method given with it.
void loadCheckpoints(heardmap::MainWindow& window, const QCommandLineParser& parser,
                     const AppFlags& flags) {
  const QStringList checkpoints = parser.values(flags.checkpoint);
  const QStringList methods = parser.values(flags.method);
  for (int i = 0; i < checkpoints.size(); ++i) {
    heardmap::LoadOptions options;
    options.method =
        methods.value(i) == QLatin1String("auto") ? std::string() : methods.value(i).toStdString();
    if (checkpoints[i] != QLatin1String("untrained")) {
      window.loadModelIntoView(i, checkpoints[i], heardmap::MainWindow::LoadFailure::ShowInView,
                               options);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  heardmap::reexecWithThreadingEnvironment(argv);
  if (const std::optional<int> code = heardmap::runSubcommand(argc, argv)) {
    return *code;
  }
  if (asksForHelp(argc, argv)) {  // without a display too (a QApplication would abort)
    QCoreApplication core(argc, argv);
    QCommandLineParser parser;
    AppFlags().describe(parser);
    parser.process(core);  // prints the help and exits
  }
  // Must precede QApplication: the overlay shader is GLSL 3.30 core.
  QSurfaceFormat format;
  format.setVersion(3, 3);
  format.setProfile(QSurfaceFormat::CoreProfile);
  QSurfaceFormat::setDefaultFormat(format);

  QApplication app(argc, argv);
  QApplication::setApplicationName("Heardmap");
  QApplication::setOrganizationName("Heardmap");
  QCommandLineParser parser;
  const AppFlags flags;
  flags.describe(parser);
  parser.process(app);
  const auto& [demo, checkpoint, method, start, play, quitAfter, fresh, views, threads] = flags;
  const std::optional<AppNumbers> numbers = readNumbers(parser, flags);
  if (!numbers) {
    return 2;
  }
  const auto& [viewCount, threadCount, startSeconds, quitSeconds] = *numbers;
  heardmap::LocalizationModel::setThreadCount(threadCount);
  heardmap::MainWindow window;
  if (parser.isSet(fresh)) {
    window.restoreRecentLists();
  } else {
    window.restoreSession();
  }
  const QStringList checkpoints = parser.values(checkpoint);
  if (parser.isSet(views) || checkpoints.size() > 1) {
    window.setViewCount(std::max(viewCount, static_cast<int>(checkpoints.size())),
                        /*fill=*/false);  // the --checkpoint files first, then ensureModels below
  }
  window.show();
  if (qEnvironmentVariableIsSet("HEARDMAP_REPORT_STARTUP")) {
    // For bench/app_bench.cpp: one line on stderr when every view first shows its map.
    QObject::connect(
        window.controller(), &heardmap::PlayerController::heatmapsUpdated, &app,
        [] { std::fprintf(stderr, "heardmap: every view has its map\n"); },
        Qt::SingleShotConnection);
  }
  // Views without a checkpoint get the shipped models (or, when none ship, the untrained compact
  // model, labelled as such).
  loadCheckpoints(window, parser, flags);
  window.ensureModels();
  QString media = parser.positionalArguments().value(0);
  if (media.isEmpty() && parser.isSet(demo)) {
    media = QStringLiteral(HEARDMAP_DEMO_CLIP);
    if (!QFileInfo::exists(media)) {
      qCritical("demo clip %s is missing: build the 'demo_clip' target", qPrintable(media));
      return 1;
    }
  }
  if (!media.isEmpty() && window.openMedia(media)) {
    if (parser.isSet(start)) {
      window.controller()->seek(startSeconds);
    }
    if (parser.isSet(play)) {
      window.controller()->play();
    }
  }
  if (parser.isSet(quitAfter)) {
    QTimer::singleShot(static_cast<int>(quitSeconds * 1000), &app, &QApplication::quit);
  }
  return app.exec();
}
