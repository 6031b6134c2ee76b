// A learner's answer as the attempts route reads it: JSON → api::DecodeAnswer → domain::Grade,
// against the exercises of the demo course and of the test fixtures (every exercise type).
//
// Input: the first byte picks the exercise (modulo their number, in the order of
// fuzz_content.h, which PRACTICA_FUZZ_LIST=1 prints at start-up); the rest is the JSON body's
// "answer" value.
// Invariants: refusals are kInvalid with a message (kInternal would mean the content's own key is
// broken, which import refuses); scores are in [0, 1] and `correct` agrees with them; an essay is
// not graded; grading the same answer with the same seed gives the same result.
#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/answer_json.h"
#include "domain/grading.h"
#include "fuzz_check.h"
#include "fuzz_content.h"

namespace {

using practica::fuzz::AsText;
using practica::fuzz::Check;

std::vector<practica::domain::Exercise>* exercises = nullptr;

bool InUnitInterval(double score) { return score >= 0 && score <= 1; }

void CheckError(const practica::Error& error) {
  Check(error.code == practica::ErrorCode::kInvalid, "a refused answer is kInvalid");
  Check(!error.message.empty() || !error.fields.empty(), "a refused answer says why");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  exercises = new std::vector<practica::domain::Exercise>(practica::fuzz::LoadExercises());
  if (std::getenv("PRACTICA_FUZZ_LIST") != nullptr) {
    for (size_t i = 0; i < exercises->size(); ++i) {
      std::fprintf(stderr, "%zu %s %s\n", i, (*exercises)[i].id.c_str(),
                   std::string(ToString((*exercises)[i].type())).c_str());
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const practica::domain::Exercise& exercise = (*exercises)[data[0] % exercises->size()];
  boost::system::error_code parse_error;
  const boost::json::value json = boost::json::parse(AsText(data + 1, size - 1), parse_error);
  if (parse_error) return 0;

  auto answer = practica::api::DecodeAnswer(exercise.type(), json);
  if (!answer) {
    CheckError(answer.error());
    return 0;
  }
  const uint64_t seed = size;
  auto graded = practica::domain::Grade(exercise, *answer, seed);
  if (!graded) {
    CheckError(graded.error());
    return 0;
  }
  const practica::domain::GradeResult& result = *graded;
  Check(InUnitInterval(result.raw_score), "raw_score is in [0, 1]");
  Check(result.correct == (std::abs(result.raw_score - 1) <= 1e-9), "correct means a score of 1");
  if (!exercise.IsAutoGraded()) {
    Check(!result.graded && result.raw_score == 0 && !result.correct, "an essay is not graded");
  }
  for (const auto& part : result.parts) {
    Check(InUnitInterval(part.score), "a part's score is in [0, 1]");
    Check(part.correct == (std::abs(part.score - 1) <= 1e-9), "a correct part scores 1");
  }
  for (int attempt = 1; attempt <= 3; ++attempt) {
    Check(InUnitInterval(
              practica::domain::ScoreWithPenalty(result.raw_score, attempt, exercise.penalty)),
          "a score after the penalty is in [0, 1]");
  }
  auto again = practica::domain::Grade(exercise, *answer, seed);
  Check(again && *again == result, "grading is deterministic");
  return 0;
}
