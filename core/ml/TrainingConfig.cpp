#include "TrainingConfig.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/AtomicFile.h"
#include "core/CommandLine.h"
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
      Json(!shardsPath.empty() ? "shards: " + shardsPath + " (augment " + augment + ")"
           : clipsPath.empty() ? "synthetic scenes (positive condition), asset pack train split"
                               : "frame + audio pairs from the user's videos: " + clipsPath);
  if (epochs > 0) {
    j["epochs"] = Json(static_cast<double>(epochs));
  }
  j["negatives"] = Json(negatives);
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
         "                      [--shards DIR [--epochs N] [--augment crop-flip|none]]\n"
         "                      [--backend auto|gloo|nccl] [--negatives global|local]\n"
         "                      [--collective-timeout SECONDS]\n"
         "  --config: a JSON object of these flags without dashes, e.g. {\"method\": \"fnac\",\n"
         "            \"lr\": 5e-4, \"ship\": true}; flags after it override it\n"
         "  --clips: train on pairs from your own videos (heardmap data clips --videos DIR);\n"
         "           --pack still gives the synthetic test split and SSL-SaN's negatives\n"
         "  --shards: train on a dataset made into shards (heardmap data shards); --epochs N\n"
         "           passes over it (instead of --steps)\n"
         "  several processes: start them as torchrun does (RANK, WORLD_SIZE, LOCAL_RANK,\n"
         "           MASTER_ADDR, MASTER_PORT); --batch is the global batch\n"
         "  --freeze-trunks: the visual and audio trunks (imgnet, audnet) stay as they are,\n"
         "           batch-norm statistics included, for the first N steps (new heads train)\n"
         "       heardmap-train ship CHECKPOINT --out FILE [--pack PACK --eval-per-condition N]\n"
         "  ship: rewrite a trained checkpoint in the shipped form (what --ship writes: fp16,\n"
         "        without training-only heads), its metadata kept; with --eval-per-condition\n"
         "        its test table replaced by one of the fp16 weights on N scenes per condition\n";
}

// Longer than 80 lines: one line per flag (the table of heardmap-train's options), then the
// checks that involve several flags.
TrainingConfig TrainingConfig::fromArguments(const std::vector<std::string>& givenArguments) {
  TrainingConfig c;
  const std::vector<std::string> arguments = expandConfigFiles(givenArguments, c.configPath);
  bool weightDecayGiven = false;
  CLI::App app("Trains a method variant", "heardmap-train");
  app.set_help_flag();  // the trainer's main prints usage() for --help
  const auto text = [&](const std::string& flag, std::string& target) {
    app.add_option(flag, target)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  };
  text("--method", c.method);
  text("--variant", c.variant);
  text("--pack", c.packPath);
  text("--clips", c.clipsPath);
  text("--shards", c.shardsPath);
  text("--out", c.outputPath);
  text("--init", c.initPath);
  app.add_flag("--resume", c.resume);
  app.add_flag("--half", c.halfPrecision);
  app.add_flag_callback("--ship", [&] {
    c.halfPrecision = true;
    c.inferenceOnly = true;
  });
  addName(app, "--precision", c.precision, {"bf16", "fp32"}, "");
  addCount(app, "--steps", c.steps, 1, kMaxSteps, "");
  addCount(app, "--epochs", c.epochs, 0, kMaxSteps, "");
  addCount(app, "--batch", c.batchSize, 2, kMaxBatch, "");
  addName(app, "--augment", c.augment, {"crop-flip", "none"}, "");
  addName(app, "--backend", c.backend, {"auto", "gloo", "nccl"}, "");
  addName(app, "--negatives", c.negatives, {"global", "local"}, "");
  addNumber(app, "--collective-timeout", c.collectiveTimeoutSeconds, 1.0, 86400.0, "");
  addNumber(app, "--lr", c.learningRate, kMinPositive, 10.0, "");
  addNumber(app, "--weight-decay", c.weightDecay, 0.0, 1.0, "")->each([&](const std::string&) {
    weightDecayGiven = true;
  });
  addNumber(app, "--tau", c.temperature, kMinPositive, 10.0, "");
  addNumber(app, "--margin", c.margin, -10.0, 10.0, "");
  addNumber(app, "--fnac-lambda", c.fnacLambda, 0.0, 1e6, "")->each([&](const std::string&) {
    c.fnacLambdaGiven = true;
  });
  addCount(app, "--warmup-steps", c.warmupSteps, 0, kMaxSteps, "");
  addNumber(app, "--image-dropout", c.imageDropout, 0.0, 0.999, "");
  addNumber(app, "--negative-ratio", c.negativeRatio, 0.0, 4.0, "");
  addCount(app, "--seed", c.seed, 0, kMaxSeed, "");
  addCount(app, "--threads", c.threads, 1, kMaxThreads, "");
  addName(app, "--synthesis", c.synthesis, {"auto", "device", "cpu"}, "");
  addCount(app, "--layer4-stride", c.layer4Stride, 1, 2, "");
  addName(app, "--image-padding", c.imagePadding, {"zeros", "circular"}, "");
  addCount(app, "--freeze-trunks", c.freezeTrunkSteps, 0, kMaxSteps, "");
  app.add_flag("--channels-last", c.channelsLast);
  addNumber(app, "--max-minutes", c.maxMinutes, 0.0, kMaxMinutes, "");
  addCount(app, "--data-threads", c.dataThreads, 1, 64, "");
  addCount(app, "--checkpoint-every", c.checkpointEvery, 1, kMaxSteps, "");
  addCount(app, "--eval-every", c.evalEvery, 0, kMaxSteps, "");
  addCount(app, "--eval-per-condition", c.evalPerCondition, 0, kMaxEvalPerCondition, "");
  std::string progress;
  addName(app, "--progress", progress, {"text", "json"}, "");
  parseArguments(app, arguments);
  if (!progress.empty()) {
    c.progress = progress == "json" ? ProgressFormat::JsonLines : ProgressFormat::Text;
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
  if (!c.shardsPath.empty() && !c.clipsPath.empty()) {
    throw std::invalid_argument("--shards and --clips are two sources of pairs: give one");
  }
  if (c.epochs > 0 && c.shardsPath.empty()) {
    throw std::invalid_argument("--epochs counts passes over --shards; without them use --steps");
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
  add(!shardsPath.empty(), "--shards", shardsPath);
  add(epochs > 0, "--epochs", std::to_string(epochs));
  add(augment != d.augment, "--augment", augment);
  add(backend != d.backend, "--backend", backend);
  add(negatives != d.negatives, "--negatives", negatives);
  add(collectiveTimeoutSeconds != d.collectiveTimeoutSeconds, "--collective-timeout",
      exact(collectiveTimeoutSeconds));
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
