// Course bundles (content/bundle_files.h): course.yaml, lesson Markdown with YAML front matter and
// fenced exercise blocks in YAML, read from memory (memory_bundle.h says how the input is laid
// out). Invariants: a refused bundle is kInvalid and names at least one problem, each with a
// message; a bundle that reads and that FormatBundle accepts reads back as the same course (the
// promise WriteBundle and the authoring API's downloads rely on).
#include "content/bundle.h"
#include "content/bundle_files.h"
#include "fuzz_check.h"
#include "memory_bundle.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;
using practica::fuzz::MemoryBundle;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  MemoryBundle bundle = MemoryBundle::Parse(AsText(data, size));
  auto course = practica::content::ReadBundleFrom(bundle);
  if (!course) {
    const practica::Error& error = course.error();
    Check(error.code == practica::ErrorCode::kInvalid, "a refused bundle is kInvalid");
    Check(!error.fields.empty(), "a refused bundle names its problems");
    for (const auto& field : error.fields) {
      Check(!field.field.empty() && !field.message.empty(), "each problem has a place and words");
    }
    return 0;
  }
  auto files = practica::content::FormatBundle(*course);
  if (!files) {
    Check(files.error().code == practica::ErrorCode::kInvalid, "FormatBundle refuses as kInvalid");
    return 0;
  }
  const auto text = MemoryBundle::Format(*files);
  if (!text) return 0;  // a file holds a line that looks like a marker: not representable
  MemoryBundle written = MemoryBundle::Parse(*text);
  auto again = practica::content::ReadBundleFrom(written);
  Check(again.ok(), "a formatted bundle reads");
  Check(*again == *course, "a formatted bundle reads back as the same course");
  return 0;
}
