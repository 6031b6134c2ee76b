// Moodle's GIFT question format ⇄ Practica exercises (docs/CONTENT.md, "GIFT").
//
// ParseGift reads a GIFT file into questions (domain::Exercise), descriptions and categories;
// WriteGift writes them back, so that ParseGift(WriteGift(x)) gives x again. ImportGift and
// ExportGift do the same for a whole course — one lesson per $CATEGORY — and are the core that
// `practica import-gift | export-gift` and, later, the authoring API's upload call: text in,
// course out, problems out. Pure functions; thread-safe.
//
// Nothing is lost without a word: every construct Practica cannot represent is a problem naming
// its line (an unsupported question, or a note for presentation or names that are not kept),
// and an import goes ahead only when there is no error, and no unsupported question unless the
// caller chose to skip them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"
#include "domain/exercise.h"

namespace practica::content {

struct GiftProblem {
  enum class Kind {
    kError,        // malformed GIFT, or a question that is not valid: nothing is imported
    kUnsupported,  // valid GIFT Practica cannot represent: the question (or, on export, the
                   // exercise or field) is left out only if the caller skips unsupported ones
    kNote,         // something that is not kept but changes nothing for the learner (a
                   // description's title, a style): reported, never blocking
  };
  Kind kind = Kind::kError;
  int line = 0;          // 1-based line in the GIFT file; 0 on export
  std::string exercise;  // on export: the exercise concerned ("" for the course)
  std::string message;
  friend bool operator==(const GiftProblem&, const GiftProblem&) = default;
};

// One question or description of a GIFT file, in file order.
struct GiftEntry {
  std::string category;                      // the $CATEGORY in force; "" before the first
  std::optional<domain::Exercise> exercise;  // a question
  domain::RichText description;              // a description (text without answers), otherwise
  int line = 0;                              // where it starts in the file (0 when written)
};

struct GiftFile {
  std::vector<GiftEntry> entries;       // without the unsupported questions
  std::vector<std::string> categories;  // in order of first use
  std::vector<GiftProblem> problems;    // by line
  bool HasErrors() const;
  bool HasUnsupported() const;
};

// Reads GIFT text (UTF-8, any line endings). Every question becomes an exercise whose id comes
// from Moodle's `[id:…]` comment, else from its ::title::, else from its position ("question-7"),
// made a slug and unique. Each exercise is checked as the bundle reader checks it, so the result
// imports and exports as a bundle. Questions with errors or unsupported constructs are left out
// of `entries` and described in `problems`.
GiftFile ParseGift(std::string_view text);

struct GiftText {
  std::string text;
  std::vector<GiftProblem> problems;  // what GIFT cannot hold (kind kUnsupported or kNote)
};

// Writes entries as GIFT: `$CATEGORY:` lines where the category changes, each exercise with
// `// [id:…] [tag:…]`, `::id::` and `[markdown]` text. What GIFT cannot hold is a problem: an
// exercise it has no form for (ordering, formula, …) is left out, a field it cannot carry (hints,
// max_attempts, …) is left off. ParseGift(WriteGift(e).text) gives e back when there is none.
GiftText WriteGift(const std::vector<GiftEntry>& entries);

struct GiftImportOptions {
  std::string course;  // the course slug
  std::string title;   // the course title
  bool skip_unsupported = false;
};

struct GiftImport {
  std::optional<domain::Course> course;  // set when the import may go ahead
  std::vector<GiftProblem> problems;     // every problem, including the skipped questions
};

// A course from GIFT text: one lesson per category in order of first use (one lesson named after
// the course without categories; questions before the first category go to a lesson "General"),
// descriptions as the lesson's text, exercises where they stand.
GiftImport ImportGift(std::string_view text, const GiftImportOptions& options);

// The course as GIFT, a $CATEGORY per lesson (its title) and the lesson text as descriptions.
GiftText ExportGift(const domain::Course& course);

// Problems as Error::Invalid ("the GIFT file has 2 problems"), a field "FILE:LINE" (or
// "exercise ID" on export) per problem, for the CLI and the API to report.
Error GiftProblemsError(const std::vector<GiftProblem>& problems, std::string_view file);

// "FILE:LINE: message", "FILE:LINE: note: message" or "exercise ID: message".
std::string DescribeGiftProblem(const GiftProblem& problem, std::string_view file);

}  // namespace practica::content
