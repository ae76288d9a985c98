#include "MethodNames.h"

#include <algorithm>

namespace heardmap {

const std::vector<std::string>& methodNames() {
  static const std::vector<std::string> names = {"ezvsl", "lvs",    "marginnce",
                                                 "fnac",  "sslsan", "sspl"};
  return names;
}

bool isMethodName(const std::string& name) {
  const std::vector<std::string>& names = methodNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace heardmap
