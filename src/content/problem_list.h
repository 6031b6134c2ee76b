// Collects the problems found while reading a bundle, so that a reader can report all of them at
// once instead of stopping at the first.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "content/bundle.h"

namespace practica::content {

class ProblemList {
 public:
  // Past this many problems, further ones are counted but not kept: a broken file must not turn
  // into an unbounded error response.
  static constexpr size_t kMaxKept = 200;

  void Add(std::string file, int line, std::string message, std::string field = {});

  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  const std::vector<BundleProblem>& problems() const { return problems_; }

  // Error::Invalid with one FieldError {"FILE:LINE", message} per problem, ordered by file (in the
  // order files were first reported) and line.
  Error ToError() const;

 private:
  std::vector<BundleProblem> problems_;
  size_t count_ = 0;
};

}  // namespace practica::content
