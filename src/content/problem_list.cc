#include "content/problem_list.h"

#include <algorithm>
#include <map>

namespace practica::content {

std::string BundleProblem::ToString() const {
  return file + ":" + std::to_string(line) + ": " + message;
}

void ProblemList::Add(std::string file, int line, std::string message, std::string field) {
  ++count_;
  if (problems_.size() < kMaxKept) {
    problems_.push_back({std::move(file), line, std::move(message), std::move(field)});
  }
}

namespace {

Error ToErrorImpl(std::vector<BundleProblem> sorted, size_t count) {
  std::vector<FieldError> fields;
  fields.reserve(sorted.size() + 1);
  for (BundleProblem& problem : sorted) {
    fields.push_back(
        {problem.file + ":" + std::to_string(problem.line), std::move(problem.message)});
  }
  if (count > sorted.size()) {
    fields.push_back({"", std::to_string(count - sorted.size()) + " more problems not shown"});
  }
  std::string message = count == 1 ? "the course bundle has 1 problem"
                                   : "the course bundle has " + std::to_string(count) + " problems";
  return Error::Invalid(std::move(message), std::move(fields));
}

}  // namespace

Error ProblemList::ToError() const {
  std::map<std::string, size_t> file_rank;
  for (const BundleProblem& problem : problems_) file_rank.emplace(problem.file, file_rank.size());
  std::vector<BundleProblem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const BundleProblem& a, const BundleProblem& b) {
                     const size_t rank_a = file_rank[a.file];
                     const size_t rank_b = file_rank[b.file];
                     return rank_a != rank_b ? rank_a < rank_b : a.line < b.line;
                   });
  return ToErrorImpl(std::move(sorted), count_);
}

}  // namespace practica::content
