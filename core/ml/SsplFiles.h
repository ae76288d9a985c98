// The official SSPL release is several state dicts (zjsong/SSPL main.py): frame_best.pth (VGG-16),
// sound_best.pth (VGGish and the audio head), pcm_best.pth (absent for SSPL without PCM) and
// ssl_head_best.pth (the SimSiam head, which only the loss reads). The user names their folder or
// any one of them; this reads the set as one state dict. Torch-free.
#pragma once

#include <string>

#include "core/TensorData.h"

namespace heardmap {

// Whether path is such a set: a folder with frame_X.pth and sound_X.pth (X = best, or any one
// suffix), or a file frame_X.pth / sound_X.pth / pcm_X.pth / ssl_head_X.pth beside those two.
bool isSsplFileSet(const std::string& path);

// The weights of the set under frame., sound. and pcm. (DDP's module. removed); *held receives
// what was read, for the model's source line. Throws CheckpointError naming the file.
StateDict readSsplFileSet(const std::string& path, std::string* held);

}  // namespace heardmap
