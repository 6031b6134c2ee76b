// One exercise ⇄ the YAML of a fenced ```exercise block (CONTENT-FORMAT.md, "The nine types", plus
// essay).
#pragma once

#include <optional>
#include <string>

#include "content/yaml_value.h"
#include "domain/exercise.h"

namespace practica::content {

struct ParsedExercise {
  domain::Exercise exercise;
  int id_line = 0;  // where the id is written, for "already used" reports
};

// Parses and validates the YAML text of one exercise block (everything but course-wide
// uniqueness of the id). Reports every problem to `source` and gives nullopt if there was any.
// All Markdown fields are rendered.
std::optional<ParsedExercise> ParseExercise(const std::string& yaml, const YamlSource& source);

// The same, for an exercise already in a YAML node (one built from JSON, say: authoring.h).
std::optional<ParsedExercise> ParseExerciseNode(const YAML::Node& document,
                                                const YamlSource& source);

// The YAML text of an exercise block body, ending with a newline: block style, defaults left
// out, shorthand forms wherever they say exactly the same (numeric `answer`/`tolerance`, plain
// string short_text answers). ParseExercise(FormatExercise(e)) == e for every valid e.
std::string FormatExercise(const domain::Exercise& exercise);

}  // namespace practica::content
