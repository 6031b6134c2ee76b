// Who may manage a course: the one ownership rule of the authoring and analytics routes.
//
// The pipeline has already admitted the caller as an instructor or admin with a second factor
// (Access::kInstructor); this adds the course: an admin manages every course, an instructor only
// the courses they own (store/authoring_store.h). Anyone else is told the course does not exist
// (404, not 403), so that course slugs cannot be probed. Thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "common/error.h"
#include "http/access.h"
#include "store/authoring_store.h"

namespace practica::api {

class CourseAccess {
 public:
  explicit CourseAccess(store::AuthoringStore& authoring) : authoring_(authoring) {}

  // The course's authoring record when `who` may manage it: for an admin, also nullopt when the
  // course has no record (published before authoring existed, or by import only). kNotFound when
  // `who` may not, or when the slug is not a slug; other errors are the store's.
  Result<std::optional<store::AuthoredCourse>> Check(const http::Principal& who,
                                                     std::string_view course) const;

 private:
  store::AuthoringStore& authoring_;
};

// kNotFound for the course as every authoring and analytics route words it.
Error NoSuchCourse(std::string_view course);

}  // namespace practica::api
