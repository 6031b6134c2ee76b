// Course bundles as zips (content/bundle_zip.h): what an upload or `practica import COURSE.zip`
// reads, through libzip, the entry checks and the counted inflation.
// Invariants: a refused zip is kInvalid and names at least one problem, each with a message; a zip
// that reads is written again (WriteBundleZip) into a zip that reads back as the same course, and
// writing that course again gives the same bytes (deterministic output).
#include "content/bundle_zip.h"
#include "fuzz_check.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto course = practica::content::ReadBundleZip(AsText(data, size), "fuzz.zip");
  if (!course) {
    const practica::Error& error = course.error();
    Check(error.code == practica::ErrorCode::kInvalid, "a refused zip is kInvalid");
    Check(!error.fields.empty(), "a refused zip names its problems");
    for (const auto& field : error.fields) {
      Check(!field.field.empty() && !field.message.empty(), "each problem has a place and words");
    }
    return 0;
  }
  auto zip = practica::content::WriteBundleZip(*course);
  if (!zip) {
    Check(zip.error().code == practica::ErrorCode::kInvalid, "WriteBundleZip refuses as kInvalid");
    return 0;
  }
  auto again = practica::content::ReadBundleZip(*zip, "again.zip");
  Check(again.ok(), "a written zip reads");
  Check(*again == *course, "a written zip reads back as the same course");
  auto rewritten = practica::content::WriteBundleZip(*again);
  Check(rewritten.ok() && *rewritten == *zip, "writing the same course gives the same bytes");
  return 0;
}
