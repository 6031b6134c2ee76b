// `practica import-gift` and `practica export-gift`: a GIFT file ⇄ a course in the content store.
// The conversions themselves are content/gift.h's (text in, course out, problems out), which the
// authoring API's upload will call too; this file adds the file and the store around them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "api/course_publisher.h"
#include "app/config.h"
#include "common/error.h"
#include "content/gift.h"
#include "store/content_store.h"

namespace practica::app {

struct GiftFileOptions {
  std::string course;             // the course slug
  std::string title;              // empty: the existing course's title, else the file's name
  bool skip_unsupported = false;  // leave out (and list) what Practica or GIFT cannot represent
};

struct GiftFileResult {
  std::vector<content::GiftProblem> problems;  // notes and what was skipped, to show the user
};

// Reads `file` and publishes it through authoring as course `options.course` (a new version,
// live at once, like `practica import`), replacing any course of that slug (whose title, summary,
// language and tags stay unless a title is given): one lesson per $CATEGORY. All or nothing: any
// error in the file, or anything unsupported without skip_unsupported, is kInvalid with a field
// "FILE:LINE" per problem and nothing is written.
Result<GiftFileResult> ImportGiftFile(store::ContentStore& store, api::CoursePublisher& publisher,
                                      const std::filesystem::path& file,
                                      const GiftFileOptions& options);
// The same on the stores `config` names (`practica import-gift`).
Result<GiftFileResult> ImportGiftFile(const Config& config, const std::filesystem::path& file,
                                      const GiftFileOptions& options);

// Writes course `options.course` to `file` as GIFT (replaced whole, never half written). Whatever
// GIFT cannot hold refuses the export (kInvalid, a field "exercise ID" per problem) unless
// skip_unsupported, which writes the rest and lists what was left out.
Result<GiftFileResult> ExportGiftFile(store::ContentStore& store, const std::filesystem::path& file,
                                      const GiftFileOptions& options);

}  // namespace practica::app
