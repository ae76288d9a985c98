// The six localisation methods Heardmap trains and compares, by their checkpoint names.
#pragma once

#include <string>
#include <vector>

namespace heardmap {

// In the order the app's views get them (the shared EZ-VSL baseline first): ezvsl, lvs,
// marginnce, fnac, sslsan, sspl.
const std::vector<std::string>& methodNames();

// Whether name is one of methodNames().
bool isMethodName(const std::string& name);

}  // namespace heardmap
