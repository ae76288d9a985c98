// The trained models that ship with Heardmap: one fp16 checkpoint per method in resources/models
// (docs/models.md says how each was trained), installed to share/heardmap/models. The
// app's views start with them; HEARDMAP_MODELS names another folder (an empty or missing folder
// means none, and the views start with the untrained demo model).
#pragma once

#include <string>
#include <vector>

namespace heardmap {

// $HEARDMAP_MODELS when set; else <executableDir>/../share/heardmap/models when it exists (an
// install); else the source tree's resources/models (a build).
std::string shippedModelsFolder(const std::string& executableDir);

// The folder's *.safetensors, methods in the project's order (ezvsl, lvs, marginnce, fnac, sslsan,
// sspl: files named "<method>-...") and any others after them by name.
std::vector<std::string> shippedModels(const std::string& folder);

}  // namespace heardmap
