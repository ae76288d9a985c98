// heardmap-headless: the app's subcommands (render, eval, data, curves) without the GUI, built
// for the sanitizer run (scripts/sanitize.sh), where the tests call it in place of heardmap.
#include <cstdio>
#include <optional>

#include "app/cli/Subcommands.h"

int main(int argc, char** argv) {
  if (const std::optional<int> code = heardmap::runSubcommand(argc, argv)) {
    return *code;
  }
  std::fprintf(stderr, "usage: heardmap-headless render|eval|data|curves ...\n");
  return 2;
}
