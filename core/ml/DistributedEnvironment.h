// Where one training process stands among several, read from the environment torchrun sets
// (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT); a plain shell loop
// that sets the same variables starts the same run. Without WORLD_SIZE (or with 1) the process
// trains alone.
#pragma once

#include <functional>
#include <string>

namespace heardmap {

struct DistributedEnvironment {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;  // this process's GPU on its machine
  int localWorldSize = 1;
  std::string masterAddress;  // rank 0's host (its TCP store)
  int masterPort = 0;
  // torchrun's agent already serves the TCP store at MASTER_PORT (TORCHELASTIC_USE_AGENT_STORE):
  // every rank joins it as a client; else rank 0 serves it. restartCount (torchrun's
  // TORCHELASTIC_RESTART_COUNT) keeps the keys of a restarted attempt apart.
  bool agentStore = false;
  int restartCount = 0;

  bool distributed() const { return worldSize > 1; }
  // "rank 1 of 4 (local 1), rendezvous 10.0.0.1:29500", or "one process".
  std::string summary() const;

  // Reads the variables through lookup (getenv by default; nullptr = unset). Throws
  // std::invalid_argument naming the variable and its value when one is missing or out of range.
  static DistributedEnvironment fromEnvironment(
      const std::function<const char*(const char*)>& lookup = nullptr);
};

}  // namespace heardmap
