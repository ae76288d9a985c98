#include "TrainingConfig.h"

#include <algorithm>
#include <cstdio>

#include <stdexcept>

#include "core/AtomicFile.h"
#include "core/FlagValue.h"
#include "core/Methods.h"
#include "core/ml/ModelConfig.h"

namespace heardmap {
namespace {

constexpr double kFnacPaperLambda = 100.0;  // FNAC's lambda_1 = lambda_2 = lambda_3 (train_*.sh)
constexpr double kFnacPaperBatch = 256.0;   // the batch FNAC's lambda was set at

// Upper bounds of the numeric flags: far above any real run, low enough to catch a typo.
constexpr long long kMaxSteps = 1000000000;         // a billion steps
constexpr long long kMaxBatch = 4096;               // scenes per step (memory grows with it)
constexpr long long kMaxThreads = 256;              // torch intra-op threads
constexpr long long kMaxSeed = (1LL << 53);         // seeds stay exact in the JSON record
constexpr long long kMaxEvalPerCondition = 100000;  // test scenes per condition
constexpr double kMaxMinutes = 1e7;                 // about 19 years of wall time
constexpr double kMinPositive = 1e-12;              // "> 0" for learning rate and tau

// --config FILE: a JSON object of flags without their dashes ({"method": "fnac", "lr": 5e-4,
// "ship": true, "progress": "json"}) read in place of the flag, so that later flags override it.
std::vector<std::string> expandConfigFiles(const std::vector<std::string>& arguments,
                                           std::string& configPath) {
  std::vector<std::string> out;
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] != "--config") {
      out.push_back(arguments[i]);
      continue;
    }
    if (i + 1 >= arguments.size()) {
      throw std::invalid_argument("--config needs a value");
    }
    configPath = arguments[++i];
    Json json;
    try {
      json = Json::parse(readFile(configPath));
    } catch (const std::exception& e) {
      throw std::invalid_argument("--config " + configPath + ": " + e.what());
    }
    if (!json.isObject()) {
      throw std::invalid_argument("--config " + configPath +
                                  ": not a JSON object of flags, e.g. {\"method\": \"fnac\"}");
    }
    for (const auto& [key, value] : json.asObject()) {
      if (key == "config") {
        throw std::invalid_argument("--config " + configPath + ": config files do not nest");
      }
      if (value.type() == Json::Type::Bool) {
        if (value.asBool()) {
          out.push_back("--" + key);
        }
        continue;
      }
      const std::string text = value.isString() ? value.asString() : value.dump();
      if (key == "progress") {
        out.push_back("--progress=" + text);
      } else {
        out.push_back("--" + key);
        out.push_back(text);
      }
    }
  }
  return out;
}

}  // namespace

Json TrainingConfig::toJson() const {
  Json j(Json::Object{});
  j["method"] = Json(method);
  if (!configPath.empty()) {
    j["config_file"] = Json(configPath);
  }
  j["pack"] = Json(packPath);
  j["init"] = Json(initPath);
  j["steps"] = Json(static_cast<double>(steps));
  j["batch_size"] = Json(batchSize);
  j["learning_rate"] = Json(learningRate);
  j["weight_decay"] = Json(weightDecay);
  j["temperature"] = Json(temperature);
  if (method == "marginnce") {
    j["margin"] = Json(margin);
  }
  if (method == "fnac") {
    j["fnac_lambda"] = Json(fnacLambda);
    char rule[128];
    std::snprintf(rule, sizeof rule,
                  "the paper's %g at its batch %g, scaled to batch %d (%g x batch / %g)",
                  kFnacPaperLambda, kFnacPaperBatch, batchSize, kFnacPaperLambda, kFnacPaperBatch);
    j["fnac_lambda_rule"] = Json(fnacLambdaGiven ? std::string("given") : std::string(rule));
    j["warmup_steps"] = Json(static_cast<double>(warmupSteps));
    j["image_dropout"] = Json(imageDropout);
  }
  if (method == "sslsan") {
    j["negative_ratio"] = Json(negativeRatio);
  }
  j["seed"] = Json(static_cast<double>(seed));
  j["stored_as"] = Json(std::string(halfPrecision ? "fp16" : "fp32") +
                        (inferenceOnly ? ", without training-only heads" : ""));
  j["precision_on_cuda"] = Json(precision);
  j["optimizer"] = Json("adam");
  j["synthesis"] = Json(synthesis);
  if (layer4Stride > 0) {
    j["layer4_stride"] = Json(layer4Stride);
  }
  if (freezeTrunkSteps > 0) {
    j["freeze_trunk_steps"] = Json(static_cast<double>(freezeTrunkSteps));
  }
  j["memory_format"] = Json(channelsLast ? "channels-last" : "contiguous");
  if (maxMinutes > 0) {
    j["max_minutes"] = Json(maxMinutes);
  }
  j["data"] =
      Json(clipsPath.empty() ? "synthetic scenes (positive condition), asset pack train split"
                             : "frame + audio pairs from the user's videos: " + clipsPath);
  return j;
}

std::string TrainingConfig::usage() {
  return "usage: heardmap-train [--config FILE] --pack PACK\n"
         "                      [--method ezvsl|lvs|marginnce|fnac|sslsan|sspl]\n"
         "                      [--margin M]\n"
         "                      [--negative-ratio R] [--fnac-lambda L] [--warmup-steps N]\n"
         "                      [--image-dropout P] [--variant compact|small|full]\n"
         "                      [--out FILE]\n"
         "                      [--steps N] [--batch N] [--lr X] [--weight-decay X] [--tau X]\n"
         "                      [--seed N] [--threads N] [--init CHECKPOINT] [--resume] [--half] "
         "[--ship]\n"
         "                      [--precision bf16|fp32] [--synthesis auto|device|cpu] "
         "[--data-threads N]\n"
         "                      [--max-minutes X] [--channels-last] [--layer4-stride 1|2]\n"
         "                      [--image-padding zeros|circular] [--freeze-trunks N]\n"
         "                      [--checkpoint-every N] [--eval-every N] [--eval-per-condition N]\n"
         "                      [--progress=text|json] [--clips CLIPS.safetensors]\n"
         "  --config: a JSON object of these flags without dashes, e.g. {\"method\": \"fnac\",\n"
         "            \"lr\": 5e-4, \"ship\": true}; flags after it override it\n"
         "  --clips: train on pairs from your own videos (heardmap data clips --videos DIR);\n"
         "           --pack still gives the synthetic test split and SSL-SaN's negatives\n"
         "  --freeze-trunks: the visual and audio trunks (imgnet, audnet) stay as they are,\n"
         "           batch-norm statistics included, for the first N steps (new heads train)\n"
         "       heardmap-train ship CHECKPOINT --out FILE [--pack PACK --eval-per-condition N]\n"
         "  ship: rewrite a trained checkpoint in the shipped form (what --ship writes: fp16,\n"
         "        without training-only heads), its metadata kept; with --eval-per-condition\n"
         "        its test table replaced by one of the fp16 weights on N scenes per condition\n";
}

TrainingConfig TrainingConfig::fromArguments(const std::vector<std::string>& givenArguments) {
  TrainingConfig c;
  const std::vector<std::string> arguments = expandConfigFiles(givenArguments, c.configPath);
  bool weightDecayGiven = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& arg = arguments[i];
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= arguments.size()) {
        throw std::invalid_argument(arg + " needs a value");
      }
      return arguments[++i];
    };
    if (arg == "--method") {
      c.method = value();
    } else if (arg == "--variant") {
      c.variant = value();
    } else if (arg == "--pack") {
      c.packPath = value();
    } else if (arg == "--clips") {
      c.clipsPath = value();
    } else if (arg == "--out") {
      c.outputPath = value();
    } else if (arg == "--init") {
      c.initPath = value();
    } else if (arg == "--resume") {
      c.resume = true;
    } else if (arg == "--half") {
      c.halfPrecision = true;
    } else if (arg == "--ship") {
      c.halfPrecision = true;
      c.inferenceOnly = true;
    } else if (arg == "--precision") {
      c.precision = value();
      if (c.precision != "bf16" && c.precision != "fp32") {
        throw std::invalid_argument("--precision must be bf16 or fp32");
      }
    } else if (arg == "--steps") {
      c.steps = integerInRange(arg, value(), 1, kMaxSteps);
    } else if (arg == "--batch") {
      c.batchSize = static_cast<int>(integerInRange(arg, value(), 2, kMaxBatch));
    } else if (arg == "--lr") {
      c.learningRate = numberInRange(arg, value(), kMinPositive, 10.0);
    } else if (arg == "--weight-decay") {
      c.weightDecay = numberInRange(arg, value(), 0.0, 1.0);
      weightDecayGiven = true;
    } else if (arg == "--tau") {
      c.temperature = numberInRange(arg, value(), kMinPositive, 10.0);
    } else if (arg == "--margin") {
      c.margin = numberInRange(arg, value(), -10.0, 10.0);
    } else if (arg == "--fnac-lambda") {
      c.fnacLambda = numberInRange(arg, value(), 0.0, 1e6);
      c.fnacLambdaGiven = true;
    } else if (arg == "--warmup-steps") {
      c.warmupSteps = integerInRange(arg, value(), 0, kMaxSteps);
    } else if (arg == "--image-dropout") {
      c.imageDropout = numberInRange(arg, value(), 0.0, 0.999);
    } else if (arg == "--negative-ratio") {
      c.negativeRatio = numberInRange(arg, value(), 0.0, 4.0);
    } else if (arg == "--seed") {
      c.seed = static_cast<uint64_t>(integerInRange(arg, value(), 0, kMaxSeed));
    } else if (arg == "--threads") {
      c.threads = static_cast<int>(integerInRange(arg, value(), 1, kMaxThreads));
    } else if (arg == "--synthesis") {
      c.synthesis = value();
      if (c.synthesis != "auto" && c.synthesis != "device" && c.synthesis != "cpu") {
        throw std::invalid_argument("--synthesis must be auto, device or cpu");
      }
    } else if (arg == "--layer4-stride") {
      c.layer4Stride = static_cast<int>(integerInRange(arg, value(), 1, 2));
      if (c.layer4Stride != 1 && c.layer4Stride != 2) {
        throw std::invalid_argument("--layer4-stride must be 1 or 2");
      }
    } else if (arg == "--image-padding") {
      c.imagePadding = value();
      if (!ModelConfig::isImagePadding(c.imagePadding)) {
        throw std::invalid_argument("--image-padding must be zeros or circular");
      }
    } else if (arg == "--freeze-trunks") {
      c.freezeTrunkSteps = integerInRange(arg, value(), 0, kMaxSteps);
      if (c.freezeTrunkSteps < 0) {
        throw std::invalid_argument("--freeze-trunks must be a step count >= 0");
      }
    } else if (arg == "--channels-last") {
      c.channelsLast = true;
    } else if (arg == "--max-minutes") {
      c.maxMinutes = numberInRange(arg, value(), 0.0, kMaxMinutes);
    } else if (arg == "--data-threads") {
      c.dataThreads = static_cast<int>(integerInRange(arg, value(), 1, 64));
    } else if (arg == "--checkpoint-every") {
      c.checkpointEvery = static_cast<int>(integerInRange(arg, value(), 1, kMaxSteps));
    } else if (arg == "--eval-every") {
      c.evalEvery = static_cast<int>(integerInRange(arg, value(), 0, kMaxSteps));
    } else if (arg == "--eval-per-condition") {
      c.evalPerCondition = static_cast<int>(integerInRange(arg, value(), 0, kMaxEvalPerCondition));
    } else if (arg == "--progress=json") {
      c.progress = ProgressFormat::JsonLines;
    } else if (arg == "--progress=text") {
      c.progress = ProgressFormat::Text;
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  if (!isTrainableMethod(c.method)) {
    throw std::invalid_argument("--method must be " + methodNameList(/*trainableOnly=*/true) +
                                (isMethodName(c.method) ? " (" + c.method +
                                                              " checkpoints load for evaluation; "
                                                              "heardmap-train has no objective "
                                                              "for it)"
                                                        : std::string()));
  }
  if (c.method == "fnac" && !weightDecayGiven) {
    c.weightDecay = 1e-4;  // FNAC's recipe
  }
  if (!c.fnacLambdaGiven) {
    c.fnacLambda = kFnacPaperLambda * c.batchSize / kFnacPaperBatch;
  }
  if (c.fnacLambda < 0) {
    throw std::invalid_argument("--fnac-lambda must be >= 0");
  }
  if (c.imageDropout < 0 || c.imageDropout >= 1) {
    throw std::invalid_argument("--image-dropout must be in [0, 1)");
  }
  if (c.negativeRatio < 0 || c.negativeRatio > 4) {
    throw std::invalid_argument("--negative-ratio must be in [0, 4]");
  }
  if (c.variant != "compact" && c.variant != "full" && c.variant != "small") {
    throw std::invalid_argument("--variant must be compact, small or full");
  }
  if (c.packPath.empty()) {
    throw std::invalid_argument("--pack is required (make one with `heardmap data pack`)");
  }
  if (c.steps < 1 || c.batchSize < 2 || c.learningRate <= 0 || c.temperature <= 0 ||
      c.checkpointEvery < 1 || c.dataThreads < 1 || c.dataThreads > 64 || c.maxMinutes < 0) {
    throw std::invalid_argument(
        "steps >= 1, batch >= 2, lr > 0, tau > 0, checkpoint-every >= 1, data-threads in "
        "[1, 64] and max-minutes >= 0 are required");
  }
  return c;
}

namespace {

// A number as fromArguments reads it back exactly.
std::string exact(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

}  // namespace

std::vector<std::string> TrainingConfig::toArguments() const {
  const TrainingConfig d;  // the defaults
  std::vector<std::string> a = {
      "--method",
      method,
      "--pack",
      packPath,
      "--out",
      outputPath,
      "--steps",
      std::to_string(steps),
      "--batch",
      std::to_string(batchSize),
      "--lr",
      exact(learningRate),
      "--threads",
      std::to_string(threads),
      "--eval-every",
      std::to_string(evalEvery),
      "--eval-per-condition",
      std::to_string(evalPerCondition),
      "--checkpoint-every",
      std::to_string(checkpointEvery),
      progress == ProgressFormat::JsonLines ? "--progress=json" : "--progress=text"};
  const auto add = [&a](bool when, const std::string& flag, const std::string& value = {}) {
    if (when) {
      a.push_back(flag);
      if (!value.empty()) {
        a.push_back(value);
      }
    }
  };
  add(!initPath.empty(), "--init", initPath);
  add(initPath.empty() && variant != d.variant, "--variant", variant);
  add(!imagePadding.empty(), "--image-padding", imagePadding);
  add(!clipsPath.empty(), "--clips", clipsPath);
  add(resume, "--resume");
  add(inferenceOnly, "--ship");
  add(halfPrecision && !inferenceOnly, "--half");
  add(precision != d.precision, "--precision", precision);
  // FNAC's default decay is its recipe's 1e-4, not 0: its decay is always written.
  add(method == "fnac" || weightDecay != d.weightDecay, "--weight-decay", exact(weightDecay));
  add(temperature != d.temperature, "--tau", exact(temperature));
  // The method's own settings, always spelled out for it (other methods ignore them).
  add(method == "marginnce" || margin != d.margin, "--margin", exact(margin));
  add(fnacLambdaGiven, "--fnac-lambda", exact(fnacLambda));
  add(method == "fnac" || warmupSteps != d.warmupSteps, "--warmup-steps",
      std::to_string(warmupSteps));
  add(imageDropout != d.imageDropout, "--image-dropout", exact(imageDropout));
  add(method == "sslsan" || negativeRatio != d.negativeRatio, "--negative-ratio",
      exact(negativeRatio));
  add(seed != d.seed, "--seed", std::to_string(seed));
  add(synthesis != d.synthesis, "--synthesis", synthesis);
  add(dataThreads != d.dataThreads, "--data-threads", std::to_string(dataThreads));
  add(maxMinutes != d.maxMinutes, "--max-minutes", exact(maxMinutes));
  add(layer4Stride != 0, "--layer4-stride", std::to_string(layer4Stride));
  add(freezeTrunkSteps != 0, "--freeze-trunks", std::to_string(freezeTrunkSteps));
  add(channelsLast, "--channels-last");
  return a;
}

}  // namespace heardmap
