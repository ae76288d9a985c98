#include "PortAudioSystem.h"

#include <alsa/asoundlib.h>
#include <fcntl.h>
#include <portaudio.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>

namespace heardmap {
namespace {

void quietAlsa(const char*, int, const char*, int, const char*, ...) {}

}  // namespace

bool initializePortAudio() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    snd_lib_error_set_handler(quietAlsa);
    // JACK's client library writes "cannot connect to server" lines straight to stderr while
    // PortAudio probes it; hide stderr for the probe only.
    std::fflush(stderr);
    const int savedStderr = ::dup(STDERR_FILENO);
    const int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (savedStderr >= 0 && devNull >= 0) {
      ::dup2(devNull, STDERR_FILENO);
    }
    ok = Pa_Initialize() == paNoError;
    if (savedStderr >= 0 && devNull >= 0) {
      ::dup2(savedStderr, STDERR_FILENO);
    }
    if (devNull >= 0) {
      ::close(devNull);
    }
    if (savedStderr >= 0) {
      ::close(savedStderr);
    }
  });
  return ok;
}

}  // namespace heardmap
