#include "DistributedEnvironment.h"

#include <cstdlib>
#include <stdexcept>

namespace heardmap {
namespace {

// Most processes one run may have (a typo guard, not a cluster limit).
constexpr long long kMaxWorldSize = 65536;
// The highest TCP port.
constexpr long long kMaxPort = 65535;

}  // namespace

std::string DistributedEnvironment::summary() const {
  if (!distributed()) {
    return "one process";
  }
  return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize) + " (local " +
         std::to_string(localRank) + "), rendezvous " + masterAddress + ":" +
         std::to_string(masterPort);
}

DistributedEnvironment DistributedEnvironment::fromEnvironment(
    const std::function<const char*(const char*)>& lookup) {
  const auto get = [&](const char* name) -> const char* {
    return lookup ? lookup(name) : std::getenv(name);
  };
  // An integer variable in [low, high]; fallback when unset (required when fallback < low).
  const auto number = [&](const char* name, long long low, long long high, long long fallback) {
    const char* text = get(name);
    if (text == nullptr || *text == '\0') {
      if (fallback < low) {
        throw std::invalid_argument(std::string(name) +
                                    " is not set (torchrun sets it; so must a shell launcher)");
      }
      return fallback;
    }
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || value < low || value > high) {
      throw std::invalid_argument(std::string(name) + "=" + text + " is not an integer in [" +
                                  std::to_string(low) + ", " + std::to_string(high) + "]");
    }
    return value;
  };
  DistributedEnvironment env;
  env.worldSize = static_cast<int>(number("WORLD_SIZE", 1, kMaxWorldSize, 1));
  if (!env.distributed()) {
    return env;
  }
  env.rank = static_cast<int>(number("RANK", 0, env.worldSize - 1, -1));
  env.localWorldSize = static_cast<int>(number("LOCAL_WORLD_SIZE", 1, env.worldSize, 1));
  env.localRank = static_cast<int>(number("LOCAL_RANK", 0, env.worldSize - 1, 0));
  env.masterPort = static_cast<int>(number("MASTER_PORT", 1, kMaxPort, -1));
  const char* master = get("MASTER_ADDR");
  if (master == nullptr || *master == '\0') {
    throw std::invalid_argument(
        "MASTER_ADDR is not set (torchrun sets it; so must a shell launcher)");
  }
  env.masterAddress = master;
  const char* agentStore = get("TORCHELASTIC_USE_AGENT_STORE");
  env.agentStore = agentStore != nullptr && std::string(agentStore) == "True";
  env.restartCount = static_cast<int>(number("TORCHELASTIC_RESTART_COUNT", 0, kMaxWorldSize, 0));
  return env;
}

}  // namespace heardmap
