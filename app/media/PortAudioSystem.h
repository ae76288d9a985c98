// PortAudio is initialised once per process (quietly: ALSA and JACK print dozens of probe lines
// otherwise) and never terminated while streams may exist.
#pragma once

namespace heardmap {

// True when Pa_Initialize succeeded (it does even with no sound card: 0 devices).
bool initializePortAudio();

}  // namespace heardmap
