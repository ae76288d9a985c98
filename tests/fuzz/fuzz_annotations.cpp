// libFuzzer target: the failure-annotation / session file reader.
#include <cstdint>
#include <exception>
#include <string>

#include "core/Json.h"
#include "core/annotate/AnnotationDocument.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const heardmap::AnnotationDocument doc =
        heardmap::AnnotationDocument::fromJson(heardmap::Json::parse(text));
    (void)doc.toJson().dump();
  } catch (const std::exception&) {
  }
  return 0;
}
