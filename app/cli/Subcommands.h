// The headless subcommands (render, eval, data, curves) by name, shared by the app's main and
// heardmap-headless (the same commands without the GUI libraries, for the sanitizer build).
#pragma once

#include <optional>

namespace heardmap {

// Runs argv[1]'s subcommand and returns its exit code, or nullopt when argv[1] names none.
std::optional<int> runSubcommand(int argc, char** argv);

}  // namespace heardmap
