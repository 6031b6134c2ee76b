// The stored JSON form of exercises, lesson bodies and string lists.
//
// The SQLite adapter keeps these documents in TEXT columns; the DynamoDB adapter keeps the same
// documents in string attributes, so both read what the other wrote. The codec is lossless:
// Decode(Encode(x)) == x for every value of the domain types: doubles come back bit for bit
// (-0.0, subnormals and infinities included; a NaN comes back as a NaN) and strings byte for byte
// (NUL and invalid UTF-8 included).
//
// The format (every key is always written; a reader requires every key it knows, except the
// ones marked optional, and ignores keys it does not know):
//
//   rich text   {"markdown": str, "html": str}
//   number      a JSON number, or one of the strings "NaN", "Infinity", "-Infinity"
//   exercise    {"id", "type": "single_choice" | … (domain::ToString(ExerciseType)),
//                "prompt": rich, "hints": [rich], "explanation": rich,
//                "max_attempts": int (optional: absent means unlimited), "penalty": number,
//                "tags": [str], "spec": {…the fields of the type's struct…}}
//   spec        single_choice   {"options": [option], "shuffle": bool}
//               multiple_choice {"options": [option], "scoring": "partial"|"all_or_nothing",
//                                "shuffle": bool}
//               true_false      {"answer": bool, "true_feedback": rich (optional: absent is empty),
//                                "false_feedback": rich (optional)}
//               numeric         {"answers": [{"value": number (optional),
//                                             "tolerance": {"value": number, "relative": bool},
//                                             "range": [number, number] (optional),
//                                             "score": number, "feedback": rich}]}
//               short_text      {"answers": [{"text", "regex", "score", "feedback"}],
//                                "case_sensitive": bool, "accents_strict": bool}
//               cloze           {"gaps": [gap]}, a gap being a numeric or short_text spec plus
//                                "type": "numeric"|"short_text", or
//                                {"type": "choice", "options": [str], "answer": str}
//               ordering        {"items": [item], "scoring"}
//               matching        {"pairs": [{"left": item, "right": item}], "distractors": [item]}
//               formula         {"answer", "variables": [{"name", "low", "high"}], "samples": int,
//                                "tolerance": number}
//               essay           {}
//   option      {"id", "text": rich, "correct": bool, "feedback": rich,
//                "score": number (optional: written only when the option has one)}
//   item        {"id", "text": rich}
//   blocks      [{"kind": "markdown", "text": rich} | {"kind": "exercise", "exercise_id": str}]
//               (a block also carries the other kind's field when that field is not empty)
//   course      {"slug", "title", "summary", "language", "tags": [str],
//                "lessons": [{"slug", "title", "file_name", "blocks": blocks,
//                             "exercises": [exercise]}]}
//               (a whole course in one document: the authoring store's drafts and versions)
//
// Decoding never trusts its input: malformed JSON, a wrong type, a missing key or a number out of
// range yields Error::Invalid whose message names the offending path ("spec.options[1].correct").
// The codec only checks shape; whether an exercise makes sense (one correct option, …) is the
// content layer's business.
//
// Thread-safe: these are pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"
#include "domain/exercise.h"

namespace practica::store {

std::string EncodeExercise(const domain::Exercise& exercise);
Result<domain::Exercise> DecodeExercise(std::string_view json);

std::string EncodeLessonBlocks(const std::vector<domain::LessonBlock>& blocks);
Result<std::vector<domain::LessonBlock>> DecodeLessonBlocks(std::string_view json);

// A whole course (the authoring store's drafts and published versions).
std::string EncodeCourse(const domain::Course& course);
Result<domain::Course> DecodeCourse(std::string_view json);

// A JSON array of strings (course tags).
std::string EncodeStrings(const std::vector<std::string>& strings);
Result<std::vector<std::string>> DecodeStrings(std::string_view json);

}  // namespace practica::store
