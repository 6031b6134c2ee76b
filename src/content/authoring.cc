#include "content/authoring.h"

#include <yaml-cpp/yaml.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <optional>
#include <utility>

#include "content/course_file.h"
#include "content/exercise_yaml.h"
#include "content/lesson_file.h"
#include "content/numbers.h"
#include "content/problem_list.h"
#include "content/yaml_value.h"

namespace practica::content {
namespace {

namespace json = boost::json;

// JSON as the YAML node a bundle's text would have given: scalars keep their text (a number as
// the shortest text that reads back as it), so the exercise parser reads them by the field's
// type, exactly as it reads a bundle.
YAML::Node YamlFromJson(const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: {
      YAML::Node map(YAML::NodeType::Map);
      for (const auto& [key, field] : value.get_object()) {
        map[std::string(key)] = YamlFromJson(field);
      }
      return map;
    }
    case json::kind::array: {
      YAML::Node sequence(YAML::NodeType::Sequence);
      for (const json::value& item : value.get_array()) sequence.push_back(YamlFromJson(item));
      return sequence;
    }
    case json::kind::string: {
      // Tagged as YAML tags a quoted scalar: a JSON string is text, never a true/false in
      // disguise ("yes" stays a string where a boolean is expected).
      YAML::Node text(std::string(value.get_string()));
      text.SetTag("!");
      return text;
    }
    case json::kind::int64:
      return YAML::Node(std::to_string(value.get_int64()));
    case json::kind::uint64:
      return YAML::Node(std::to_string(value.get_uint64()));
    case json::kind::double_:
      return YAML::Node(FormatNumber(value.get_double()));
    case json::kind::bool_:
      return YAML::Node(std::string(value.get_bool() ? "true" : "false"));
    case json::kind::null:
      break;
  }
  return YAML::Node(YAML::NodeType::Null);
}

// A YAML node of FormatExercise's output as JSON. A quoted or block scalar is a string; a plain
// one is a boolean or a number when it reads as one (FormatExercise quotes every text that would),
// except under `id`, which is always a string (an id may be all digits).
json::value JsonFromYaml(const YAML::Node& node, std::string_view key) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object object;
      for (const auto& pair : node) {
        const std::string name = pair.first.Scalar();
        object[name] = JsonFromYaml(pair.second, name);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      json::array array;
      for (const YAML::Node& item : node) array.push_back(JsonFromYaml(item, key));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!" || key == "id") return json::string(text);
      if (text == "true") return true;
      if (text == "false") return false;
      if (const std::optional<std::int64_t> integer = ParseInteger(text)) return *integer;
      if (const std::optional<double> number = ParseNumber(text)) return *number;
      return json::string(text);
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

std::string Prefixed(std::string_view prefix, const std::string& path) {
  if (path.empty()) return std::string(prefix);
  if (prefix.empty()) return path;
  return std::string(prefix) + (path.front() == '[' ? "" : ".") + path;
}

// kInvalid with one FieldError per problem, named by `name_of(problem)`.
template <class NameOf>
Error ProblemsError(const ProblemList& problems, std::string message, NameOf name_of) {
  std::vector<FieldError> fields;
  for (const BundleProblem& problem : problems.problems()) {
    fields.push_back({name_of(problem), problem.message});
  }
  if (problems.count() > problems.problems().size()) {
    fields.push_back(
        {"", std::to_string(problems.count() - problems.problems().size()) + " more problems"});
  }
  return Error::Invalid(std::move(message), std::move(fields));
}

constexpr std::string_view kFrontMatter = "---\ntitle: piece\n---\n";
constexpr std::string_view kSentinel =
    "```exercise\nid: sentinel\ntype: true_false\nprompt: sentinel\nanswer: true\n```\n";

// Why the Markdown `piece` would not read back as Markdown in a lesson file, if it would not: it
// must hold no exercise block and leave no code fence open (checked by placing an exercise after
// it and seeing that exercise, and only it, come back).
std::optional<std::string> MarkdownPieceProblem(const std::string& piece) {
  std::string text(kFrontMatter);
  text += piece;
  text += "\n\n";
  text += kSentinel;
  ProblemList problems;
  const std::optional<ParsedLesson> parsed = ParseLessonFile(text, "piece", "piece", problems);
  if (!parsed) {
    return "holds an ```exercise block that is not a valid exercise: add exercises as exercises "
           "of the lesson, not in its Markdown";
  }
  const std::vector<domain::Exercise>& exercises = parsed->lesson.exercises;
  if (exercises.size() == 1 && exercises[0].id == "sentinel") return std::nullopt;
  if (exercises.size() > 1) {
    return "holds an ```exercise block: add exercises as exercises of the lesson, not in its "
           "Markdown";
  }
  return "leaves a code block (``` or ~~~) open, which would swallow everything after it";
}

}  // namespace

Result<domain::Exercise> ExerciseFromJson(const json::value& value, std::string_view prefix) {
  if (!value.is_object()) {
    return Error::Invalid("The exercise must be a JSON object.",
                          {{std::string(prefix), "must be an object of exercise fields"}});
  }
  ProblemList problems;
  const YamlSource source{"exercise", 1, &problems, "exercise"};
  std::optional<ParsedExercise> parsed = ParseExerciseNode(YamlFromJson(value), source);
  if (!parsed || !problems.empty()) {
    return ProblemsError(problems, "The exercise is not valid.",
                         [&](const BundleProblem& p) { return Prefixed(prefix, p.field); });
  }
  return std::move(parsed->exercise);
}

json::value ExerciseToJson(const domain::Exercise& exercise) {
  return JsonFromYaml(YAML::Load(FormatExercise(exercise)), "");
}

Status CheckCourseFields(const domain::Course& course) {
  domain::Course fields = course;
  fields.lessons = {domain::Lesson{}};  // course.yaml must list a lesson
  fields.lessons[0].file_name = "lesson";
  ProblemList problems;
  const std::optional<ParsedCourse> parsed = ParseCourseFile(FormatCourseFile(fields), problems);
  if (!parsed || !problems.empty()) {
    return ProblemsError(problems, "The course fields are not valid.", [](const BundleProblem& p) {
      return p.field.empty() ? std::string("course") : p.field;
    });
  }
  const domain::Course& back = parsed->course;
  if (back.slug != course.slug || back.title != course.title || back.summary != course.summary ||
      back.language != course.language || back.tags != course.tags) {
    return Error::Invalid("The course fields are not valid.",
                          {{"course", "would not read back unchanged from course.yaml"}});
  }
  return Status::Ok();
}

Result<domain::Lesson> AssembleLesson(const std::string& slug, const std::string& title,
                                      const std::string& file_name,
                                      const std::vector<LessonPiece>& pieces) {
  std::vector<FieldError> errors;
  domain::Lesson raw;
  raw.slug = slug;
  raw.title = title;
  raw.file_name = file_name;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const LessonPiece& piece = pieces[i];
    domain::LessonBlock block;
    if (piece.exercise != nullptr) {
      block.kind = domain::LessonBlock::Kind::kExercise;
      block.exercise_id = piece.exercise->id;
      raw.exercises.push_back(*piece.exercise);
    } else {
      if (std::optional<std::string> problem = MarkdownPieceProblem(piece.markdown)) {
        errors.push_back({"blocks[" + std::to_string(i) + "]", std::move(*problem)});
      }
      block.text.markdown = piece.markdown;
    }
    raw.blocks.push_back(std::move(block));
  }
  if (!errors.empty()) {
    return Error::Invalid("The lesson body is not valid.", std::move(errors));
  }
  // A lesson file needs some content; an empty draft lesson is read with a placeholder.
  const bool empty = raw.blocks.empty();
  if (empty)
    raw.blocks.push_back({domain::LessonBlock::Kind::kMarkdown, {"placeholder\n", ""}, ""});

  Result<std::string> text = FormatLessonFile(raw);
  if (!text.ok()) return std::move(text).error();
  ProblemList problems;
  std::optional<ParsedLesson> parsed = ParseLessonFile(*text, "lesson", file_name, problems);
  if (!parsed || !problems.empty()) {
    return ProblemsError(problems, "The lesson is not valid.", [](const BundleProblem& p) {
      return p.field.empty() ? std::string("lesson") : p.field;
    });
  }
  domain::Lesson lesson = std::move(parsed->lesson);
  if (empty) lesson.blocks.clear();
  // Each Markdown piece was checked to read back as Markdown, so exactly the exercises placed
  // come back, in order; the authored definitions are kept as they are.
  if (lesson.exercises.size() != raw.exercises.size()) {
    return Error::Internal("lesson " + slug + " did not read back with its exercises");
  }
  lesson.exercises = std::move(raw.exercises);
  return lesson;
}

}  // namespace practica::content
