#include "api/course_access.h"

#include <algorithm>
#include <string>

#include "common/text.h"

namespace practica::api {

Error NoSuchCourse(std::string_view course) {
  return Error::NotFound("No course " + Quoted(course.substr(0, 64)) + ".");
}

Result<std::optional<store::AuthoredCourse>> CourseAccess::Check(const http::Principal& who,
                                                                 std::string_view course) const {
  if (!domain::IsValidSlug(course)) return NoSuchCourse(course);
  const bool admin = who.role == domain::Role::kAdmin;
  Result<store::AuthoredCourse> record = authoring_.GetCourse(course);
  if (!record.ok()) {
    if (record.error().code != ErrorCode::kNotFound) return std::move(record).error();
    if (admin) return std::optional<store::AuthoredCourse>();
    return NoSuchCourse(course);
  }
  const std::vector<std::string>& owners = record->owners;
  if (!admin && std::find(owners.begin(), owners.end(), who.user_id) == owners.end()) {
    return NoSuchCourse(course);
  }
  return std::optional<store::AuthoredCourse>(std::move(record).value());
}

}  // namespace practica::api
