// Reading checkpoints that do not say what they are (PyTorch files, safetensors without Heardmap's
// metadata): which network their names are, which method, which weights to take.
#include "ForeignCheckpoint.h"

#include <stdexcept>

#include "core/Methods.h"

namespace heardmap {
namespace {

// Audio the LVS test code gives its AVENet: the wav's first 20 s (hche11's dataloader).
constexpr double kLvsWindowSeconds = 20.0;
// SSL-Align's spectrogram overlap for the AVENet it evaluates (kaistmm/SSLalignment
// datasets_lvs.py: noverlap 353, so a hop of 159).
constexpr int kSslAlignOverlapSamples = 353;

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// What each network's tensor names look like, for messages.
const char* namesOf(Architecture architecture) {
  switch (architecture) {
    case Architecture::Slavc:
      return "SLAVC's img_proj1/img_proj2 heads";
    case Architecture::Avenet:
      return "the LVS AVENet trunks (audnet.conv1_a, no heads)";
    case Architecture::HeardmapSspl:
      return "Heardmap's SSPL module (pcm.*)";
    case Architecture::SsplVgg:
      return "the SSPL release's frame_*.pth / sound_*.pth (VGG-16, VGGish)";
    case Architecture::EzvslFamily:
      break;
  }
  return "one img_proj / aud_proj head (the EZ-VSL names)";
}

// The network a state dict's names belong to (the EZ-VSL family unless another's names are there).
Architecture architectureFromNames(const StateDict& weights) {
  if (weights.count("frame.feat_extractor.0.weight") != 0) {
    return Architecture::SsplVgg;
  }
  if (weights.count("img_proj1.weight") != 0) {
    return Architecture::Slavc;
  }
  if (weights.count("pcm.down1.weight") != 0) {
    return Architecture::HeardmapSspl;
  }
  if (weights.count("audnet.conv1_a.weight") != 0 && weights.count("img_proj.weight") == 0) {
    return Architecture::Avenet;
  }
  return Architecture::EzvslFamily;
}

// The method of a file of that network: the user's --method where it fits the network, else
// the first method of the network in core/Methods.h.
std::string methodFor(Architecture architecture, const std::string& path,
                      const LoadOptions& options) {
  if (options.method.empty()) {
    for (const MethodInfo& row : methods()) {
      if (row.accepts(architecture)) {
        return row.name;
      }
    }
    return ModelConfig().method;
  }
  const MethodInfo* asked = nullptr;
  try {
    asked = &methodNamed(options.method, "--method");
  } catch (const std::invalid_argument& e) {
    throw CheckpointError(path + ": " + e.what());
  }
  if (!asked->accepts(architecture)) {
    throw CheckpointError(
        path + ": --method " + options.method + " needs " + namesOf(asked->architectures.front()) +
        ", which the file does not hold (it holds " + namesOf(architecture) + ")");
  }
  return options.method;
}

// Infers the network from a state dict's names and shapes: SLAVC's two heads, the LVS AVENet,
// Heardmap's SSPL module, or else the EZ-VSL family, whose method only the user can name
// (options.method; default: the first method of the network in core/Methods.h).
ModelConfig configFromShapes(const StateDict& weights, const std::string& path,
                             const LoadOptions& options) {
  const auto find = [&](const std::string& name) -> const TensorData& {
    const auto it = weights.find(name);
    if (it == weights.end()) {
      std::string held;
      int listed = 0;
      for (auto w = weights.begin(); w != weights.end() && listed < 4; ++w, ++listed) {
        held += (listed ? ", " : "") + w->first;
      }
      throw CheckpointError(
          path + ": no tensor '" + name +
          "': not an EZ-VSL-family checkpoint or torchvision ResNet-18 (it holds " +
          std::to_string(weights.size()) + " tensors: " + held +
          (weights.size() > 4 ? ", ...)" : ")"));
    }
    return it->second;
  };
  ModelConfig config;
  config.architecture = architectureFromNames(weights);
  config.method = methodFor(config.architecture, path, options);
  const auto rows = [&](const std::string& name) {
    return static_cast<int>(find(name).shape.at(0));
  };
  if (config.architecture == Architecture::SsplVgg) {
    config.baseWidth = rows("frame.feat_extractor.0.weight");
    config.soundWidth = rows("sound.features.0.weight");
    config.embeddingHidden = rows("sound.embeddings.0.weight");
    config.embedDim = rows("sound.embeddings.4.weight");
    config.soundFcHidden = rows("sound.fc.0.weight");
    config.audioOutDim = rows("sound.fc.2.weight");
    int norms = 0;  // the PCM has two BNPred_step norms per cycle
    while (weights.count("pcm.BNPred_step." + std::to_string(norms) + ".weight") != 0) {
      ++norms;
    }
    config.pcmCycles = norms / 2;
    if (weights.count("pcm.PredProcess.0.weight") != 0 && config.pcmCycles == 0) {
      throw CheckpointError(path + ": pcm file without BNPred_step norms (no recurrent cycle)");
    }
    return config;
  }
  config.baseWidth = rows("imgnet.conv1.weight");
  if (config.architecture == Architecture::Avenet) {
    config.layer4Stride = 1;  // the LVS trunks keep 14 x 14 at 224
    config.embedDim = 8 * config.baseWidth;
  } else {
    config.embedDim = static_cast<int>(
        find(config.architecture == Architecture::Slavc ? "img_proj1.weight" : "img_proj.weight")
            .shape.at(0));
  }
  return config;
}

// The LVS code's ResNet has three stems (conv1 for frames, conv1_a for spectrograms, conv1_flow)
// and a 1000-way fc in both trunks; the audio trunk uses conv1_a, the visual one conv1. Renames
// audnet.conv1_a to audnet.conv1 and sets the unused ones aside. Returns the source-line note.
std::string fromAvenetNames(StateDict& weights) {
  size_t unused = 0;
  StateDict kept;
  for (auto& [name, tensor] : weights) {
    if (name == "audnet.conv1_a.weight") {
      kept["audnet.conv1.weight"] = std::move(tensor);
    } else if (name == "audnet.conv1.weight" || startsWith(name, "imgnet.conv1_a.") ||
               name.find(".conv1_flow.") != std::string::npos || startsWith(name, "imgnet.fc.") ||
               startsWith(name, "audnet.fc.")) {
      ++unused;
    } else {
      kept[name] = std::move(tensor);
    }
  }
  weights = std::move(kept);
  return "; AVENet's unused stems and fc layers set aside (" + std::to_string(unused) + " tensors)";
}

bool isMomentumCopy(const std::string& name) {
  return startsWith(name, "momentum_");
}

// SLAVC files hold a momentum copy of every module (momentum_imgnet, momentum_img_proj1, ...).
// By default those are left out; with options.momentumBranch they replace the modules they copy.
// Returns the note for the model's source line ("" for other files).
std::string selectBranch(StateDict& weights, const LoadOptions& options, const std::string& path) {
  size_t copies = 0;
  for (const auto& item : weights) {
    copies += isMomentumCopy(item.first) ? 1 : 0;
  }
  if (copies == 0) {
    if (options.momentumBranch) {
      throw CheckpointError(path + ": no momentum_* tensors for the momentum branch");
    }
    return "";
  }
  StateDict kept;
  for (auto& [name, tensor] : weights) {
    if (!isMomentumCopy(name)) {
      if (!options.momentumBranch) {
        kept[name] = std::move(tensor);
      }
    } else if (options.momentumBranch) {
      kept[name.substr(std::string("momentum_").size())] = std::move(tensor);
    }
  }
  weights = std::move(kept);
  return options.momentumBranch
             ? "; momentum branch (" + std::to_string(copies) + " tensors) in use"
             : "; momentum branch (" + std::to_string(copies) +
                   " tensors) present, not used (--momentum-branch uses it)";
}

}  // namespace

// A dict with torchvision ResNet keys ("conv1.weight", "layer1.0...", "fc.weight") and no EZ-VSL
// prefixes: pretrained backbone weights for the visual trunk.
bool isTorchvisionResnet(const StateDict& weights) {
  return weights.count("conv1.weight") != 0 && weights.count("layer4.1.bn2.running_var") != 0;
}

// The model of a file that does not say what it is (a .pth, a safetensors without Heardmap's
// metadata): the network from its names, the method from options, the method's contract; weights
// made ready for loadWeights (momentum branch chosen, AVENet names converted). held: what the
// file holds, for the source line.
CheckpointInfo foreignCheckpoint(StateDict& weights, const std::string& path,
                                 const LoadOptions& options, const std::string& held) {
  CheckpointInfo info;
  info.config = configFromShapes(weights, path, options);
  info.contract = info.config.architecture == Architecture::SsplVgg
                      ? PreprocessingContract::ssplVggish()
                      : PreprocessingContract::ezvsl();
  info.trained = true;
  std::string notes = selectBranch(weights, options, path);
  if (info.config.architecture == Architecture::Avenet) {
    notes += fromAvenetNames(weights);
    if (info.config.method == "sslalign") {
      info.contract.overlapSamples = kSslAlignOverlapSamples;  // its 3 s: 3.5-6.5 s of 10
    } else {
      info.contract.windowSeconds = kLvsWindowSeconds;
      info.contract.imageCrop = "centre";  // the LVS test loader: Resize(224), CenterCrop(224)
    }
  }
  const std::string readAs =
      options.method.empty() && info.config.method == "ezvsl"
          ? "; read as EZ-VSL (the default for these names: --method names FNAC, MarginNCE, ...)"
          : "; read as " + findMethod(info.config.method)->displayName +
                (info.config.architecture == Architecture::Avenet    ? " (the authors' AVENet)"
                 : info.config.architecture == Architecture::SsplVgg ? " (the authors' network)"
                                                                     : "");
  info.source = path + " (" + held + readAs + notes + ")";
  return info;
}

}  // namespace heardmap
