// `heardmap data pack|export ...`: builds the benchmark asset pack and exports scenes for people.
#pragma once

namespace heardmap {

// argv[0] is "data". Returns the process exit code.
int runDataCommand(int argc, char** argv);

}  // namespace heardmap
