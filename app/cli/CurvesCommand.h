// `heardmap curves LOG [LOG ...] --out DIR`: the training curves of heardmap-train runs, read
// back from their logs (text or --progress=json), as pictures: DIR/loss.png and
// DIR/test_split.png, one colour per run.
#pragma once

namespace heardmap {

// argv[0] is "curves". Returns the process exit code.
int runCurvesCommand(int argc, char** argv);

}  // namespace heardmap
