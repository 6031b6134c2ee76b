// A course ⇄ GIFT: a lesson per category, descriptions as lesson text.
#include <algorithm>
#include <set>

#include "content/gift.h"
#include "content/gift_syntax.h"
#include "content/markdown.h"

namespace practica::content {
namespace {

using Kind = GiftProblem::Kind;

std::string TwoDigits(size_t n) {
  const std::string number = std::to_string(n);
  return number.size() < 2 ? "0" + number : number;
}

}  // namespace

GiftImport ImportGift(std::string_view text, const GiftImportOptions& options) {
  GiftImport result;
  GiftFile file = ParseGift(text);
  const bool blocked = file.HasErrors() || (file.HasUnsupported() && !options.skip_unsupported);
  for (GiftProblem& problem : file.problems) {
    if (problem.kind == Kind::kUnsupported && !blocked) problem.message += " (question skipped)";
  }
  result.problems = std::move(file.problems);
  if (blocked) return result;
  const bool any_question = std::any_of(file.entries.begin(), file.entries.end(),
                                        [](const GiftEntry& e) { return e.exercise.has_value(); });
  if (!any_question) {
    result.problems.push_back({Kind::kError, 0, "", "the file has no question to import"});
    return result;
  }

  domain::Course course;
  course.slug = options.course;
  course.title = options.title;
  // A lesson per category in order of first use; questions before the first one in "General".
  std::vector<std::string> categories;
  for (const GiftEntry& entry : file.entries) {
    if (std::find(categories.begin(), categories.end(), entry.category) == categories.end()) {
      categories.push_back(entry.category);
    }
  }
  std::set<std::string> slugs;
  for (const std::string& category : categories) {
    domain::Lesson lesson;
    lesson.title = !category.empty()        ? category
                   : categories.size() == 1 ? options.title
                                            : std::string("General");
    const std::string base = gift::MakeSlug(lesson.title).value_or("lesson");
    lesson.slug = base;
    for (int n = 2; slugs.count(lesson.slug) != 0; ++n) {
      const std::string suffix = "-" + std::to_string(n);
      lesson.slug = base.substr(0, 64 - suffix.size()) + suffix;
    }
    slugs.insert(lesson.slug);
    lesson.file_name = TwoDigits(course.lessons.size() + 1) + "-" + lesson.slug;
    for (const GiftEntry& entry : file.entries) {
      if (entry.category != category) continue;
      if (entry.exercise) {
        lesson.blocks.push_back({domain::LessonBlock::Kind::kExercise, {}, entry.exercise->id});
        lesson.exercises.push_back(*entry.exercise);
      } else if (!lesson.blocks.empty() &&
                 lesson.blocks.back().kind == domain::LessonBlock::Kind::kMarkdown) {
        // Text next to text is one block, as a lesson file reads it.
        lesson.blocks.back().text =
            MakeRichText(lesson.blocks.back().text.markdown + "\n" + entry.description.markdown);
      } else {
        lesson.blocks.push_back({domain::LessonBlock::Kind::kMarkdown, entry.description, ""});
      }
    }
    course.lessons.push_back(std::move(lesson));
  }
  result.course = std::move(course);
  return result;
}

GiftText ExportGift(const domain::Course& course) {
  std::vector<GiftEntry> entries;
  for (const domain::Lesson& lesson : course.lessons) {
    for (const domain::LessonBlock& block : lesson.blocks) {
      GiftEntry entry;
      entry.category = lesson.title;
      if (block.kind == domain::LessonBlock::Kind::kMarkdown) {
        entry.description = block.text;
      } else {
        const auto exercise =
            std::find_if(lesson.exercises.begin(), lesson.exercises.end(),
                         [&](const domain::Exercise& e) { return e.id == block.exercise_id; });
        if (exercise == lesson.exercises.end()) continue;
        entry.exercise = *exercise;
      }
      entries.push_back(std::move(entry));
    }
  }
  return WriteGift(entries);
}

std::string DescribeGiftProblem(const GiftProblem& problem, std::string_view file) {
  std::string where = problem.line > 0 ? std::string(file) + ":" + std::to_string(problem.line)
                      : !problem.exercise.empty() ? "exercise " + problem.exercise
                                                  : std::string(file);
  return where + ": " + (problem.kind == Kind::kNote ? "note: " : "") + problem.message;
}

Error GiftProblemsError(const std::vector<GiftProblem>& problems, std::string_view file) {
  std::vector<FieldError> fields;
  size_t count = 0;
  for (const GiftProblem& problem : problems) {
    if (problem.kind == Kind::kNote) continue;
    ++count;
    const std::string full = DescribeGiftProblem(problem, file);
    const size_t split = full.find(": ");
    fields.push_back({full.substr(0, split), full.substr(split + 2)});
  }
  return Error::Invalid(count == 1 ? "the GIFT file has 1 problem"
                                   : "the GIFT file has " + std::to_string(count) + " problems",
                        std::move(fields));
}

}  // namespace practica::content
