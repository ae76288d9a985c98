// Writes the fuzz targets' seed corpora with the project's own writers: a checkpoint's
// safetensors (metadata included), an annotation document, JSON documents. Dataset indexes and
// media seeds come from the test fixtures (scripts/fuzz.sh copies them).
// Usage: heardmap-fuzz-seeds OUTDIR
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/AtomicFile.h"
#include "core/Json.h"
#include "core/PreprocessingContract.h"
#include "core/Safetensors.h"
#include "core/annotate/AnnotationDocument.h"
#include "core/data/Shards.h"
#include "core/ml/CheckpointInfo.h"

using namespace heardmap;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: heardmap-fuzz-seeds OUTDIR\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  for (const char* target : {"safetensors", "json", "annotations", "shards"}) {
    std::filesystem::create_directories(out / target);
  }
  CheckpointInfo info;
  info.config = ModelConfig::compact();
  info.contract = PreprocessingContract::ezvsl();
  info.trained = true;
  info.training = Json(Json::Object{});
  info.training["steps_done"] = Json(120);
  SafetensorsFile file;
  file.metadata = info.toMetadata();
  const float weights[6] = {0.5f, -1.0f, 2.0f, 0.0f, 1e-3f, 3.5f};
  file.tensors["img_proj.weight"] = TensorData::fromFloat({2, 3}, weights);
  file.tensors["aud_proj.bias"] = TensorData::fromFloat({6}, weights, DType::F16);
  writeFileAtomically((out / "safetensors/checkpoint.safetensors").string(),
                      serializeSafetensors(file));
  file.metadata.clear();
  writeFileAtomically((out / "safetensors/bare.safetensors").string(), serializeSafetensors(file));

  AnnotationDocument doc;
  FailureAnnotation a;
  a.startSeconds = 1.0;
  a.endSeconds = 2.5;
  a.note = "dog barks off screen";
  a.method = "ezvsl compact";
  a.checkpoint = "untrained";
  a.setKeyframe(1.0, NormalizedBox{0.1, 0.2, 0.5, 0.6});
  a.setKeyframe(2.0, NormalizedBox{0.2, 0.2, 0.6, 0.7});
  a.setKeyframe(1.5, NormalizedBox{0.3, 0.3, 0.3, 0.3}, a.addObject(ObjectShape::Point, "bark").id);
  doc.add(a);
  doc.frameWidth = 64;
  doc.frameHeight = 48;
  writeFileAtomically((out / "annotations/session.json").string(), doc.toJson().dump(2));
  writeFileAtomically((out / "annotations/coco.json").string(), doc.toCocoJson());

  // fuzz_shards: a first byte (samples claimed - 1), then a valid shard of its tiny layout.
  for (int samples = 1; samples <= 3; samples += 2) {
    ShardData shard;
    for (int i = 0; i < samples; ++i) {
      shard.ids.push_back("clip" + std::to_string(i));
      shard.frames.resize(shard.frames.size() + 8 * 8 * 3, static_cast<uint8_t>(40 * i));
      shard.audio.resize(shard.audio.size() + 8, static_cast<int16_t>(1000 * i - 500));
    }
    const std::string path = (out / "shards/valid.safetensors").string();
    writeShard(path, ShardLayout{8, 16000, 8, 4}, shard);
    writeFileAtomically((out / ("shards/" + std::to_string(samples) + ".shard")).string(),
                        std::string(1, static_cast<char>(samples - 1)) + readFile(path));
    std::filesystem::remove(path);
  }
  writeFileAtomically((out / "json/contract.json").string(), info.contract.toJson().dump(2));
  writeFileAtomically((out / "json/config.json").string(), info.config.toJson().dump());
  writeFileAtomically((out / "json/annotations.json").string(), doc.toJson().dump());
  writeFileAtomically((out / "json/escapes.json").string(),
                      "[\"a\\u00e9\\ud83d\\ude00\\n\", -1.5e-7, true, null, {\"k\": []}]");
  return 0;
}
