#include "Methods.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace heardmap {

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> rows = {
      {"ezvsl",
       "EZ-VSL",
       "EZ-VSL",
       {Architecture::EzvslFamily},
       "{'model': state_dict (DDP 'module.' prefixes), 'optimizer', 'epoch'}",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)",
       "ezvsl",
       true},
      {"lvs",
       "LVS",
       "LVS (hard negatives)",
       {Architecture::EzvslFamily, Architecture::Avenet},
       "Heardmap recipe on EZ-VSL names; the authors' files: {'model_state_dict': AVENet "
       "(imgnet, audnet with conv1_a), DataParallel 'module.' names}",
       "relative: above the median of the min-max map, bilinear upsampling as cv2.resize",
       "lvs",
       true},
      {"marginnce",
       "MarginNCE",
       "MarginNCE",
       {Architecture::EzvslFamily},
       "as EZ-VSL (no public code; SSLalignment and vssl_eval load its files with the EZ-VSL "
       "class)",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)",
       "ezvsl",
       true},
      {"fnac",
       "FNAC",
       "FNAC",
       {Architecture::EzvslFamily},
       "as EZ-VSL: {'model': state_dict, 'optimizer', 'epoch'}",
       "relative: top 50 % of the min-max map, bilinear upsampling (align_corners)",
       "ezvsl",
       true},
      {"sslsan",
       "SSL-SaN",
       "SSL-SaN (provisional recipe)",
       {Architecture::EzvslFamily},
       "Heardmap recipe on EZ-VSL names (the authors' code is not public)",
       "Heardmap's relative rule",
       "ezvsl",
       false},
      {"sspl",
       "SSPL",
       "SSPL (negative-free, provisional)",
       {Architecture::HeardmapSspl, Architecture::SsplVgg},
       "Heardmap recipe; the authors': four state dicts frame_best.pth (VGG-16, plain names), "
       "sound_best.pth (VGGish + fc), pcm_best.pth, ssl_head_best.pth (DDP 'module.' names)",
       "absolute: 0.5 on the min-max map, bilinear upsampling as cv2.resize",
       "sspl",
       true},
      {"slavc",
       "SLAVC",
       "",
       {Architecture::Slavc},
       "{'model': state_dict with img_proj1/2, aud_proj1/2 and momentum_* copies, 'optimizer', "
       "'epoch'}",
       "absolute: 0.5 on S_AVL min-max over [-1/tau, 1/tau], bicubic upsampling (align_corners)",
       "slavc",
       true},
      {"sslalign",
       "SSL-Align",
       "",
       {Architecture::Avenet},
       "{'model_state_dict': AVENet state dict (the LVS code's network), no 'module.' names}",
       "relative: >= the median of the min-max map, bilinear upsampling (align_corners) as "
       "EZ-VSL's (Flickr and the other sets; its VGG-SS branch resizes as cv2.resize)",
       "ezvsl",
       true},
  };
  return rows;
}

bool MethodInfo::accepts(Architecture architecture) const {
  return std::find(architectures.begin(), architectures.end(), architecture) != architectures.end();
}

namespace {

const std::pair<Architecture, const char*> kArchitectureNames[] = {
    {Architecture::EzvslFamily, "ezvsl-family"},
    {Architecture::Slavc, "slavc"},
    {Architecture::Avenet, "avenet"},
    {Architecture::HeardmapSspl, "heardmap-sspl"},
    {Architecture::SsplVgg, "sspl-vgg"},
};

}  // namespace

std::string architectureName(Architecture architecture) {
  for (const auto& [value, name] : kArchitectureNames) {
    if (value == architecture) {
      return name;
    }
  }
  return "unknown";
}

bool architectureFromName(const std::string& name, Architecture* architecture) {
  for (const auto& [value, text] : kArchitectureNames) {
    if (name == text) {
      *architecture = value;
      return true;
    }
  }
  return false;
}

const MethodInfo* findMethod(const std::string& name) {
  for (const MethodInfo& row : methods()) {
    if (row.name == name) {
      return &row;
    }
  }
  return nullptr;
}

const MethodInfo& methodNamed(const std::string& name, const std::string& what) {
  const MethodInfo* row = findMethod(name);
  if (row == nullptr) {
    throw std::invalid_argument(what + " '" + name + "' is not one of " +
                                methodNameList(/*trainableOnly=*/false));
  }
  return *row;
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
