// The one table of localisation methods: every method Heardmap loads, trains or evaluates is a row
// here, and the loader, the trainer, the Trainer pane and the CLI read it (a new method is one
// module plus one row).
#pragma once

#include <string>
#include <vector>

namespace heardmap {

// Which network a method's checkpoints hold.
enum class Architecture {
  // Two ResNet-18 trunks with one projection head each (imgnet, img_proj, audnet, aud_proj):
  // EZ-VSL, FNAC, MarginNCE and Heardmap's LVS and SSL-SaN recipes.
  EzvslFamily,
  // The same trunks with two heads each (img_proj1/2, aud_proj1/2) and momentum copies.
  Slavc,
  // The LVS code's AVENet: the two trunks alone (audio conv1_a), layer4 at stride 1 (14 x 14 maps
  // at 224), the map the cosine of the trunks' features; no projection heads.
  Avenet,
  // Heardmap's SSPL recipe: the trunks plus a predictive coding module (not the authors' files).
  HeardmapSspl,
  // The official SSPL: VGG-16 conv5_3 (14 x 14 at 224), VGGish with its audio head, and the
  // predictive coding module of pc_net.py (or none: SSPL without PCM); four (three) files.
  SsplVgg,
};

struct MethodInfo {
  std::string name;          // in checkpoints and on the command line: "ezvsl"
  std::string displayName;   // "EZ-VSL"
  std::string trainerLabel;  // the Trainer pane's entry; empty when heardmap-train lacks it
  // The networks its checkpoints may hold; the first is the one heardmap-train builds for it.
  std::vector<Architecture> architectures;
  // What a checkpoint saved by the method's official code holds (docs/checkpoints.md).
  std::string officialLayout;
  // How the method's official test script turns a map into a prediction.
  std::string officialEvaluation;
  // The rule heardmap eval scores it by (core/eval/OfficialRule.h names), and whether that is the
  // method's own or EZ-VSL's in its place.
  std::string evaluationRule = "ezvsl";
  bool evaluationRuleIsOwn = false;
  bool trainable() const { return !trainerLabel.empty(); }
  bool accepts(Architecture architecture) const;
};

// "ezvsl-family", "slavc", "avenet", "heardmap-sspl", "sspl-vgg" (in ModelConfig's JSON).
std::string architectureName(Architecture architecture);
// The inverse; false for another name.
bool architectureFromName(const std::string& name, Architecture* architecture);

// Every row, in the order the app's views get shipped models (the shared EZ-VSL baseline first):
// ezvsl, lvs, marginnce, fnac, sslsan, sspl, then the load-only slavc and sslalign.
const std::vector<MethodInfo>& methods();
// The row named name, or nullptr.
const MethodInfo* findMethod(const std::string& name);
// The row named name; otherwise throws std::invalid_argument "<what> 'name' is not one of ezvsl,
// ..." (what: the flag that gave the name, e.g. "--method").
const MethodInfo& methodNamed(const std::string& name, const std::string& what = "method");
// Whether name is a row of methods().
bool isMethodName(const std::string& name);
// Whether heardmap-train has the method's objective.
bool isTrainableMethod(const std::string& name);
// "a, b or c" over the rows (only the trainable ones when trainableOnly), for error messages.
std::string methodNameList(bool trainableOnly);

}  // namespace heardmap
