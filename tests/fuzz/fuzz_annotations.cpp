// libFuzzer target: the failure-annotation / session file reader, and the COCO label import
// (the same bytes read both ways; the export of what was read must read back).
#include <cstdint>
#include <exception>
#include <string>

#include "core/Json.h"
#include "core/annotate/AnnotationDocument.h"
#include "core/annotate/CocoImport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  heardmap::Json json;
  try {
    json = heardmap::Json::parse(text);
  } catch (const std::exception&) {
    return 0;
  }
  try {
    const heardmap::AnnotationDocument doc = heardmap::AnnotationDocument::fromJson(json);
    (void)doc.toJson().dump();
    (void)doc.toCocoJson();
    (void)doc.toCsv();
  } catch (const std::exception&) {
  }
  try {
    heardmap::CocoImportOptions options;
    options.framesPerSecond = 25.0;
    options.frameWidth = 640;
    options.frameHeight = 360;
    options.sourceName = "fuzz.json";
    heardmap::AnnotationDocument doc;
    doc.add(heardmap::annotationFromCoco(json, options));
    (void)heardmap::AnnotationDocument::fromJson(doc.toJson());
  } catch (const std::exception&) {
  }
  return 0;
}
