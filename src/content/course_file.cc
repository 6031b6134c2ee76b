#include "content/course_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "content/yaml_value.h"

namespace practica::content {
namespace {

constexpr std::int64_t kFormatVersion = 1;

// The shape of a BCP 47 tag ("en", "pt-BR", "zh-Hant-TW"), not a registry lookup.
bool LooksLikeLanguageTag(std::string_view tag) {
  size_t start = 0;
  bool first = true;
  while (start <= tag.size()) {
    size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view part = tag.substr(start, end - start);
    const bool alnum = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    const bool letters = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    if (part.empty() || part.size() > 8 || !alnum) return false;
    if (first && (!letters || part.size() < 2 || part.size() > 3)) return false;
    first = false;
    start = end + 1;
  }
  return true;
}

void ReadLessonRefs(const YamlValue& value, ParsedCourse& parsed) {
  const std::optional<std::vector<YamlValue>> items = value.Items();
  if (!items) return;
  if (items->empty()) value.Report("must list at least one lesson");
  std::vector<LessonRef> refs;
  std::map<std::string, int> seen;
  for (const YamlValue& item : *items) {
    std::string name = item.NonEmptyString().value_or("");
    if (name.empty()) continue;
    if (name.ends_with(".md")) name.resize(name.size() - 3);
    if (!IsValidLessonFileName(name)) {
      item.Report("must name a file in lessons/ (letters, digits, '.', '_', '-'), got '" + name +
                  "'");
      continue;
    }
    if (const auto [it, inserted] = seen.emplace(name, item.line()); !inserted) {
      item.Report("lists lesson '" + name + "' a second time (first on line " +
                  std::to_string(it->second) + ")");
      continue;
    }
    refs.push_back({name, item.line()});
  }
  parsed.lessons = std::move(refs);
}

}  // namespace

std::string LessonFilePath(std::string_view file_name) {
  return std::string(kLessonsDir) + "/" + std::string(file_name) + ".md";
}

bool IsValidLessonFileName(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::optional<ParsedCourse> ParseCourseFile(const std::string& text, ProblemList& problems) {
  const YamlSource source{std::string(kCourseFile), 1, &problems, std::string(kCourseFile)};
  const std::optional<YAML::Node> document = LoadYaml(text, source);
  if (!document) return std::nullopt;
  const YamlValue root(*document, source.LineOf(document->Mark(), 1), "", &source);
  if (!document->IsMap()) {
    source.Report(root.line(), "course.yaml must be a mapping of fields (format, slug, title, …)");
    return std::nullopt;
  }
  const std::optional<YamlMap> map = YamlMap::From(root);
  map->CheckKeys({"format", "slug", "title", "summary", "language", "tags", "lessons"});

  ParsedCourse parsed;
  domain::Course& course = parsed.course;
  if (const std::optional<YamlValue> format = map->Require("format")) {
    const std::optional<std::int64_t> version = format->Integer();
    if (version && *version != kFormatVersion) {
      format->Report("is " + std::to_string(*version) + ", but only bundle format 1 is supported");
    }
  }
  if (const std::optional<YamlValue> slug = map->Require("slug")) {
    course.slug = slug->String().value_or("");
    if (slug->node().IsScalar() && !domain::IsValidSlug(course.slug)) {
      slug->Report("must match [a-z0-9-]{1,64}, got '" + course.slug + "'");
    }
  }
  if (const std::optional<YamlValue> title = map->Require("title")) {
    course.title = title->NonEmptyString().value_or("");
  }
  if (const std::optional<YamlValue> summary = map->Get("summary")) {
    course.summary = summary->String().value_or("");
  }
  if (const std::optional<YamlValue> language = map->Get("language")) {
    course.language = language->String().value_or("en");
    if (language->node().IsScalar() && !LooksLikeLanguageTag(course.language)) {
      language->Report("must be a BCP 47 language tag such as en or pt-BR, got '" +
                       course.language + "'");
    }
  }
  if (const std::optional<YamlValue> tags = map->Get("tags")) {
    course.tags = tags->StringList().value_or(std::vector<std::string>{});
  }
  if (const std::optional<YamlValue> lessons = map->Get("lessons"))
    ReadLessonRefs(*lessons, parsed);
  return parsed;
}

std::string FormatCourseFile(const domain::Course& course) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << kFormatVersion;
  out << YAML::Key << "slug" << YAML::Value << course.slug;
  out << YAML::Key << "title" << YAML::Value << course.title;
  if (!course.summary.empty()) {
    out << YAML::Key << "summary" << YAML::Value;
    // A long summary reads best folded over several lines, but yaml-cpp cannot fold; keep it on one
    // line (quoted if YAML needs it) unless it has line breaks of its own.
    if (course.summary.find('\n') != std::string::npos) out << YAML::DoubleQuoted;
    out << course.summary;
  }
  if (course.language != domain::Course{}.language) {
    out << YAML::Key << "language" << YAML::Value << course.language;
  }
  if (!course.tags.empty()) {
    out << YAML::Key << "tags" << YAML::Value << YAML::Flow << course.tags;
  }
  out << YAML::Key << "lessons" << YAML::Value << YAML::BeginSeq;
  for (const domain::Lesson& lesson : course.lessons) out << lesson.file_name;
  out << YAML::EndSeq << YAML::EndMap;
  std::string text = out.c_str();
  text += '\n';
  return text;
}

std::optional<domain::Course> AssembleCourse(domain::Course course,
                                             std::vector<ParsedLesson> lessons,
                                             ProblemList& problems) {
  const size_t before = problems.count();
  if (lessons.empty()) problems.Add(std::string(kCourseFile), 0, "the course has no lessons");
  std::map<std::string, const ParsedLesson*> slugs;
  std::map<std::string, std::string> exercise_places;  // id → "FILE:LINE"
  for (const ParsedLesson& parsed : lessons) {
    const auto [slug_it, new_slug] = slugs.emplace(parsed.lesson.slug, &parsed);
    if (!new_slug) {
      problems.Add(
          parsed.file, parsed.slug_line,
          "lesson slug '" + parsed.lesson.slug + "' is already used by " + slug_it->second->file);
    }
    for (size_t i = 0; i < parsed.lesson.exercises.size(); ++i) {
      const std::string& id = parsed.lesson.exercises[i].id;
      const int line = parsed.exercise_id_lines[i];
      const auto [it, inserted] =
          exercise_places.emplace(id, parsed.file + ":" + std::to_string(line));
      if (!inserted) {
        problems.Add(parsed.file, line,
                     "exercise id '" + id + "' is already used at " + it->second);
      }
    }
  }
  if (problems.count() != before) return std::nullopt;
  for (ParsedLesson& parsed : lessons) course.lessons.push_back(std::move(parsed.lesson));
  return course;
}

}  // namespace practica::content
