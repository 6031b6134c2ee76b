#include "content/lesson_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "content/exercise_yaml.h"
#include "content/markdown.h"
#include "content/yaml_value.h"

namespace practica::content {
namespace {

struct Line {
  std::string_view text;  // without the line break (and without a CR before it)
  int number = 0;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  int number = 1;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, number++});
    start = next;
  }
  return lines;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A CommonMark code fence line: up to three spaces, then three or more ` or ~.
struct Fence {
  char marker = 0;
  size_t length = 0;
  std::string_view info;
};

std::optional<Fence> OpeningFence(std::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && indent < 4 && line[indent] == ' ') ++indent;
  if (indent > 3 || indent >= line.size()) return std::nullopt;
  const char marker = line[indent];
  if (marker != '`' && marker != '~') return std::nullopt;
  size_t end = indent;
  while (end < line.size() && line[end] == marker) ++end;
  const Fence fence{marker, end - indent, Trim(line.substr(end))};
  if (fence.length < 3) return std::nullopt;
  // A backtick fence's info string cannot contain backticks (that line is a code span).
  if (marker == '`' && fence.info.find('`') != std::string_view::npos) return std::nullopt;
  return fence;
}

bool ClosesFence(std::string_view line, const Fence& open) {
  const std::optional<Fence> fence = OpeningFence(line);
  return fence && fence->marker == open.marker && fence->length >= open.length &&
         fence->info.empty();
}

bool IsFrontMatterDelimiter(std::string_view line) { return Trim(line) == "---"; }

// Markdown from consecutive lines, without leading and trailing blank lines.
std::optional<std::string> JoinMarkdown(const std::vector<Line>& lines, size_t begin, size_t end) {
  while (begin < end && IsBlank(lines[begin].text)) ++begin;
  while (end > begin && IsBlank(lines[end - 1].text)) --end;
  if (begin == end) return std::nullopt;
  std::string text;
  for (size_t i = begin; i < end; ++i) {
    text += lines[i].text;
    text += '\n';
  }
  return text;
}

class LessonParser {
 public:
  LessonParser(std::string_view text, const std::string& file, const std::string& file_name,
               ProblemList& problems)
      : lines_(SplitLines(text)), file_(file), problems_(problems) {
    parsed_.file = file;
    parsed_.lesson.file_name = file_name;
  }

  std::optional<ParsedLesson> Parse() {
    const std::optional<size_t> body = ParseFrontMatter();
    if (body) ParseBody(*body);
    if (problems_.count() != problems_before_) return std::nullopt;
    return std::move(parsed_);
  }

 private:
  void Report(int line, std::string message) { problems_.Add(file_, line, std::move(message)); }

  // Reads the front matter; gives the index of the first body line.
  std::optional<size_t> ParseFrontMatter() {
    if (lines_.empty() || !IsFrontMatterDelimiter(lines_[0].text)) {
      Report(1, "a lesson must start with YAML front matter between '---' lines (with its title)");
      return std::nullopt;
    }
    size_t close = 1;
    while (close < lines_.size() && !IsFrontMatterDelimiter(lines_[close].text)) ++close;
    if (close == lines_.size()) {
      Report(1, "the front matter is not closed by a '---' line");
      return std::nullopt;
    }
    std::string yaml;
    for (size_t i = 1; i < close; ++i) {
      yaml += lines_[i].text;
      yaml += '\n';
    }
    const YamlSource source{file_, 2, &problems_, "front matter"};
    const std::optional<YAML::Node> document = LoadYaml(yaml, source);
    if (document) ReadFrontMatter(*document, source);
    front_matter_end_line_ = lines_[close].number;
    return close + 1;
  }

  void ReadFrontMatter(const YAML::Node& document, const YamlSource& source) {
    domain::Lesson& lesson = parsed_.lesson;
    if (document.IsNull()) {
      Report(1, "the front matter is missing required field 'title'");
      return;
    }
    const YamlValue root(document, source.LineOf(document.Mark(), 2), "", &source);
    const std::optional<YamlMap> map = YamlMap::From(root);
    if (!map) return;
    map->CheckKeys({"slug", "title"});
    if (const std::optional<YamlValue> title = map->Require("title")) {
      lesson.title = title->NonEmptyString().value_or("");
    }
    if (const std::optional<YamlValue> slug = map->Get("slug")) {
      parsed_.slug_line = slug->line();
      lesson.slug = slug->String().value_or("");
      if (slug->node().IsScalar() && !domain::IsValidSlug(lesson.slug)) {
        slug->Report("must match [a-z0-9-]{1,64}, got '" + lesson.slug + "'");
      }
    } else {
      parsed_.slug_line = 1;
      lesson.slug = DefaultLessonSlug(lesson.file_name);
      if (!domain::IsValidSlug(lesson.slug)) {
        Report(1, "the file name gives the lesson slug '" + lesson.slug +
                      "', which does not match [a-z0-9-]{1,64}; add a 'slug:' field");
      }
    }
  }

  void AddMarkdown(size_t begin, size_t end) {
    if (std::optional<std::string> text = JoinMarkdown(lines_, begin, end)) {
      domain::LessonBlock block;
      block.text = MakeRichText(std::move(*text));
      parsed_.lesson.blocks.push_back(std::move(block));
    }
  }

  void AddExercise(const Line& fence_line, size_t begin, size_t end) {
    std::string yaml;
    for (size_t i = begin; i < end; ++i) {
      yaml += lines_[i].text;
      yaml += '\n';
    }
    const YamlSource source{file_, fence_line.number + 1, &problems_, "exercise"};
    if (yaml.empty() || IsBlank(yaml)) {
      Report(fence_line.number, "the exercise block is empty");
      return;
    }
    std::optional<ParsedExercise> exercise = ParseExercise(yaml, source);
    if (!exercise) return;
    domain::LessonBlock block;
    block.kind = domain::LessonBlock::Kind::kExercise;
    block.exercise_id = exercise->exercise.id;
    parsed_.lesson.blocks.push_back(std::move(block));
    parsed_.lesson.exercises.push_back(std::move(exercise->exercise));
    parsed_.exercise_id_lines.push_back(exercise->id_line);
  }

  void ParseBody(size_t first) {
    size_t markdown_begin = first;
    std::optional<Fence> code;  // an open fenced code block inside Markdown
    for (size_t i = first; i < lines_.size(); ++i) {
      const std::string_view text = lines_[i].text;
      if (code) {
        if (ClosesFence(text, *code)) code.reset();
        continue;
      }
      const std::optional<Fence> fence = OpeningFence(text);
      if (!fence) continue;
      if (fence->info != "exercise") {
        code = fence;
        continue;
      }
      AddMarkdown(markdown_begin, i);
      size_t close = i + 1;
      while (close < lines_.size() && !ClosesFence(lines_[close].text, *fence)) ++close;
      if (close == lines_.size()) {
        Report(lines_[i].number, "the exercise block is not closed (no matching " +
                                     std::string(fence->length, fence->marker) + " line)");
        return;
      }
      AddExercise(lines_[i], i + 1, close);
      i = close;
      markdown_begin = close + 1;
    }
    AddMarkdown(markdown_begin, lines_.size());
    if (parsed_.lesson.blocks.empty() && problems_.count() == problems_before_) {
      Report(front_matter_end_line_, "the lesson has no content after its front matter");
    }
  }

  std::vector<Line> lines_;
  const std::string& file_;
  ProblemList& problems_;
  const size_t problems_before_ = problems_.count();
  ParsedLesson parsed_;
  int front_matter_end_line_ = 1;
};

size_t LongestRun(std::string_view text, char marker) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == marker ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string DefaultLessonSlug(std::string_view file_name) {
  size_t digits = 0;
  while (digits < file_name.size() && file_name[digits] >= '0' && file_name[digits] <= '9') {
    ++digits;
  }
  if (digits > 0 && digits + 1 < file_name.size() && file_name[digits] == '-') {
    return std::string(file_name.substr(digits + 1));
  }
  return std::string(file_name);
}

std::optional<ParsedLesson> ParseLessonFile(std::string_view text, const std::string& file,
                                            const std::string& file_name, ProblemList& problems) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark
  return LessonParser(text, file, file_name, problems).Parse();
}

Result<std::string> FormatLessonFile(const domain::Lesson& lesson) {
  YAML::Emitter front;
  front << YAML::BeginMap;
  if (lesson.slug != DefaultLessonSlug(lesson.file_name)) {
    front << YAML::Key << "slug" << YAML::Value << lesson.slug;
  }
  front << YAML::Key << "title" << YAML::Value << lesson.title << YAML::EndMap;

  std::string text = "---\n";
  text += front.c_str();
  text += "\n---\n";
  bool first = true;
  for (const domain::LessonBlock& block : lesson.blocks) {
    if (!first) text += '\n';
    first = false;
    if (block.kind == domain::LessonBlock::Kind::kMarkdown) {
      text += block.text.markdown;
      continue;
    }
    const auto exercise =
        std::find_if(lesson.exercises.begin(), lesson.exercises.end(),
                     [&](const domain::Exercise& e) { return e.id == block.exercise_id; });
    if (exercise == lesson.exercises.end()) {
      return Error::Invalid("lesson '" + lesson.slug + "' places exercise '" + block.exercise_id +
                            "', which it does not define");
    }
    const std::string yaml = FormatExercise(*exercise);
    const std::string fence(std::max<size_t>(3, LongestRun(yaml, '`') + 1), '`');
    text += fence + "exercise\n" + yaml + fence + "\n";
  }
  return text;
}

}  // namespace practica::content
