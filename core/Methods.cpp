#include "Methods.h"

namespace heardmap {

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> rows = {
      {"ezvsl", "EZ-VSL", "EZ-VSL", Architecture::EzvslFamily,
       "{'model': state_dict (DDP 'module.' prefixes), 'optimizer', 'epoch'}",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)"},
      {"lvs", "LVS", "LVS (hard negatives)", Architecture::EzvslFamily,
       "Heardmap recipe on EZ-VSL names (the authors' AVENet files are not read yet)",
       "relative: top 50 % of the min-max map"},
      {"marginnce", "MarginNCE", "MarginNCE", Architecture::EzvslFamily,
       "as EZ-VSL (the release builds on its code)",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)"},
      {"fnac", "FNAC", "FNAC", Architecture::EzvslFamily,
       "as EZ-VSL: {'model': state_dict, 'optimizer', 'epoch'}",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)"},
      {"sslsan", "SSL-SaN", "SSL-SaN (provisional recipe)", Architecture::EzvslFamily,
       "Heardmap recipe on EZ-VSL names", "relative: top 50 % of the min-max map"},
      {"sspl", "SSPL", "SSPL (negative-free, provisional)", Architecture::HeardmapSspl,
       "Heardmap recipe (the authors' four files are not read yet)",
       "absolute: 0.5 on the min-max map"},
      {"slavc", "SLAVC", "", Architecture::Slavc,
       "{'model': state_dict with img_proj1/2, aud_proj1/2 and momentum_* copies, 'optimizer', "
       "'epoch'}",
       "absolute: 0.5 on S_AVL min-max over [-1/tau, 1/tau], bicubic upsampling (align_corners)"},
  };
  return rows;
}

const MethodInfo* findMethod(const std::string& name) {
  for (const MethodInfo& row : methods()) {
    if (row.name == name) {
      return &row;
    }
  }
  return nullptr;
}

bool isMethodName(const std::string& name) {
  return findMethod(name) != nullptr;
}

bool isTrainableMethod(const std::string& name) {
  const MethodInfo* row = findMethod(name);
  return row != nullptr && row->trainable();
}

std::string methodNameList(bool trainableOnly) {
  std::vector<std::string> names;
  for (const MethodInfo& row : methods()) {
    if (!trainableOnly || row.trainable()) {
      names.push_back(row.name);
    }
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return out;
}

}  // namespace heardmap
