// `heardmap eval --checkpoint A [--checkpoint B ...] --data synthetic`: the benchmark table
// (markdown on stdout, CSV and JSON files) and PNG plots.
#pragma once

namespace heardmap {

// argv[0] is "eval". Returns the process exit code.
int runEvalCommand(int argc, char** argv);

}  // namespace heardmap
