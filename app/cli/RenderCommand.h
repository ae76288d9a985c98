// `heardmap render IN --out OUT.mp4 ...`: the headless overlay renderer (no window, no GL).
#pragma once

namespace heardmap {

// Runs the subcommand; argv[0] is "render". Returns the process exit code.
int runRenderCommand(int argc, char** argv);

}  // namespace heardmap
