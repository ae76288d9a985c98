// Everything a training run needs to know: heardmap-train's flags as one typed structure, with one
// reader (fromArguments, in the trainer) and one writer (toArguments, in the Trainer pane that
// starts it), and the record stored in the checkpoint.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Json.h"

namespace heardmap {

enum class ProgressFormat { Invalid = 0, Text, JsonLines };

struct TrainingConfig {
  std::string method = "ezvsl";
  std::string configPath;           // --config FILE the flags came from (if any)
  std::string variant = "compact";  // compact | small | full; --init keeps the base's
  std::string packPath;             // asset pack (synthetic scenes; the test split always)
  std::string clipsPath;            // pairs from the user's videos (`heardmap data clips`)
  std::string shardsPath;  // a dataset as shards (`heardmap data shards`), read memory-mapped
  std::string outputPath = "model.safetensors";
  std::string initPath;        // start from these weights (.safetensors / .pth); empty = scratch
  bool resume = false;         // continue outputPath's run from its recorded step
  bool halfPrecision = false;  // store the checkpoint's weights as fp16
  // --ship: fp16 without training-only heads (SSPL's SimSiam projector / predictor), the form
  // committed to resources/models; a resumed run restarts those heads.
  bool inferenceOnly = false;
  std::string precision = "bf16";  // on CUDA: bf16 autocast (mixed precision) or fp32
  int64_t steps = 1000;
  // With --shards: passes over the shards (the official scripts' epochs); 0 = --steps counts.
  int64_t epochs = 0;
  int batchSize = 32;  // the global batch: each of N processes trains on batchSize / N
  // With --shards: "crop-flip" (the official recipes' random resized crop and horizontal flip,
  // and a random audio offset inside the stored audio) or "none" (centred).
  std::string augment = "crop-flip";
  // Several processes: the c10d backend ("auto": NCCL on CUDA, Gloo on the CPU), the contrastive
  // losses' negatives ("global": every rank's embeddings gathered, as one process with the whole
  // batch; "local": each rank's own, as the official DDP scripts) and how long a collective waits
  // for a silent rank before the run stops.
  std::string backend = "auto";
  std::string negatives = "global";
  double collectiveTimeoutSeconds = 1800.0;
  double learningRate = 1e-4;
  double weightDecay = 0.0;
  double temperature = 0.03;
  double margin = -0.2;         // MarginNCE's margin m on the positive cosine (ignored by ezvsl)
  double negativeRatio = 0.25;  // SSL-SaN: extra silence + noise audio columns per batch image
  // FNAC: weight of each of its three L1 terms. Unless --fnac-lambda gives it, the paper's 100
  // at its batch 256 scaled to this batch (12.5 at batch 32): each term is a mean over batch x
  // batch entries of differences of row softmaxes, at most 2 / batch, so at batch 256 the three
  // add at most 2.3 to a base loss of 11.1 at chance; 100 at batch 32 could add 18.8 to 6.9.
  double fnacLambda = 12.5;      // fromArguments sets it from the batch unless given
  bool fnacLambdaGiven = false;  // --fnac-lambda was on the command line
  int64_t warmupSteps = 500;     // FNAC: EZ-VSL loss only before this step
  double imageDropout = 0.9;     // FNAC: dropout on the visual backbone map while training
  uint64_t seed = 12345;
  int threads = 2;
  // Where training scenes are rendered: "device" (DeviceSceneBatcher, on the training device),
  // "cpu" (SceneSynthesizer on dataThreads) or "auto" (device on CUDA, cpu otherwise: on the CPU
  // the scalar renderer is a little faster). Both make the same scenes from the same seeds.
  std::string synthesis = "auto";
  int dataThreads = 1;      // threads synthesising each batch's scenes with --synthesis cpu
  double maxMinutes = 0.0;  // wall-time budget: stop (with a checkpoint) after it; 0 = none
  // 1 or 2 overrides the trunk's (from scratch the method's: LVS / SSPL 1, others 2; with --init
  // the base's); 0 = keep it.
  int layer4Stride = 0;
  std::string imagePadding;  // "zeros" or "circular" visual trunk padding; "" = zeros / the base's
  // Steps at the start of the run for which the visual and audio trunks (imgnet, audnet) are
  // frozen, weights and batch-norm statistics: new heads (SSPL's PCM from another method's base)
  // learn on the base's features before the trunks move. 0 = none.
  int64_t freezeTrunkSteps = 0;
  bool channelsLast = false;  // NHWC weights and inputs (faster convolutions on some GPUs)
  int checkpointEvery = 100;  // steps
  int evalEvery = 0;          // steps; 0 = only at the end
  int evalPerCondition = 100;
  ProgressFormat progress = ProgressFormat::Text;

  // The run's settings for the checkpoint's training record (the model's size and padding are
  // the trainer's to add: a run from --init or --resume keeps the checkpoint's own).
  Json toJson() const;
  // Parses heardmap-train's flags; throws std::invalid_argument naming the bad flag.
  static TrainingConfig fromArguments(const std::vector<std::string>& arguments);
  // The flags that give this config back through fromArguments: the run's essentials and the
  // method's own settings always, the rest where they differ from the defaults (--variant not
  // with --init: a base keeps its size).
  std::vector<std::string> toArguments() const;
  static std::string usage();
};

}  // namespace heardmap
