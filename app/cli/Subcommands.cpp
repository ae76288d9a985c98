#include "Subcommands.h"

#include <cstring>

#include "CurvesCommand.h"
#include "DataCommand.h"
#include "EvalCommand.h"
#include "RenderCommand.h"

namespace heardmap {

std::optional<int> runSubcommand(int argc, char** argv) {
  if (argc < 2) {
    return std::nullopt;
  }
  const char* name = argv[1];
  if (std::strcmp(name, "render") == 0) {
    return runRenderCommand(argc - 1, argv + 1);
  }
  if (std::strcmp(name, "eval") == 0) {
    return runEvalCommand(argc - 1, argv + 1);
  }
  if (std::strcmp(name, "data") == 0) {
    return runDataCommand(argc - 1, argv + 1);
  }
  if (std::strcmp(name, "curves") == 0) {
    return runCurvesCommand(argc - 1, argv + 1);
  }
  return std::nullopt;
}

}  // namespace heardmap
