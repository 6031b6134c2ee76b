#include "app/gift_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/stores.h"
#include "content/bundle_files.h"

namespace practica::app {
namespace {

using Kind = content::GiftProblem::Kind;

// GIFT files are text; a quiz of this size is already unusually large.
constexpr std::uintmax_t kMaxGiftFileBytes = 8 * 1024 * 1024;

Result<std::string> ReadTextFile(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return Error::Invalid(file.string() + ": cannot read: " + ec.message());
  if (size > kMaxGiftFileBytes) {
    return Error::Invalid(file.string() + ": larger than " +
                          std::to_string(kMaxGiftFileBytes / (1024 * 1024)) + " MiB");
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Error::Invalid(file.string() + ": cannot read");
  return text.str();
}

}  // namespace

Result<GiftFileResult> ImportGiftFile(store::ContentStore& store, api::CoursePublisher& publisher,
                                      const std::filesystem::path& file,
                                      const GiftFileOptions& options) {
  if (!domain::IsValidSlug(options.course)) {
    return Error::Invalid("--course must match [a-z0-9-]{1,64}, got '" + options.course + "'");
  }
  Result<std::string> text = ReadTextFile(file);
  if (!text.ok()) return std::move(text).error();

  // Replacing a course keeps what GIFT has no place for: its title, summary, language and tags.
  std::optional<domain::Course> existing;
  if (Result<domain::Course> found = store.GetCourse(options.course); found.ok()) {
    existing = std::move(found).value();
  } else if (found.error().code != ErrorCode::kNotFound) {
    return std::move(found).error();
  }
  std::string title = options.title;
  if (title.empty()) title = existing ? existing->title : file.stem().string();

  content::GiftImport imported =
      content::ImportGift(*text, {options.course, title, options.skip_unsupported});
  if (!imported.course) {
    Error error = content::GiftProblemsError(imported.problems, file.string());
    const auto any = [&](Kind kind) {
      return std::any_of(imported.problems.begin(), imported.problems.end(),
                         [&](const content::GiftProblem& p) { return p.kind == kind; });
    };
    if (!options.skip_unsupported && any(Kind::kUnsupported) && !any(Kind::kError)) {
      error.message += " (--skip-unsupported imports the rest and lists what it leaves out)";
    }
    return error;
  }
  if (existing) {
    imported.course->summary = existing->summary;
    imported.course->language = existing->language;
    imported.course->tags = existing->tags;
  }
  if (auto published = publisher.Import(*imported.course, ""); !published.ok()) {
    return std::move(published).error();
  }
  return GiftFileResult{std::move(imported.problems)};
}

Result<GiftFileResult> ImportGiftFile(const Config& config, const std::filesystem::path& file,
                                      const GiftFileOptions& options) {
  auto publishing = OpenPublishing(config);
  if (!publishing.ok()) return std::move(publishing).error();
  return ImportGiftFile(*(*publishing)->content, *(*publishing)->publisher, file, options);
}

Result<GiftFileResult> ExportGiftFile(store::ContentStore& store, const std::filesystem::path& file,
                                      const GiftFileOptions& options) {
  Result<domain::Course> course = store.GetCourse(options.course);
  if (!course.ok()) return std::move(course).error();
  content::GiftText gift = content::ExportGift(*course);
  const bool lossy =
      std::any_of(gift.problems.begin(), gift.problems.end(),
                  [](const content::GiftProblem& p) { return p.kind == Kind::kUnsupported; });
  if (lossy && !options.skip_unsupported) {
    Error error = content::GiftProblemsError(gift.problems, file.string());
    error.message = "course '" + options.course +
                    "' has what GIFT cannot hold (--skip-unsupported writes the rest and lists "
                    "what it leaves out)";
    return error;
  }
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (Status written = content::WriteFilesAtomically({{file, gift.text + "\n"}}); !written.ok()) {
    return std::move(written).error();
  }
  return GiftFileResult{std::move(gift.problems)};
}

}  // namespace practica::app
