// Checks every ContentStore adapter makes before writing a course, so all of them refuse the same
// input with the same error.
#pragma once

#include "common/error.h"
#include "domain/course.h"

namespace practica::store {

// kInvalid, with one FieldError per offending id ("lessons[1].exercises[0].id"), unless the
// course slug, every lesson slug and every exercise id is a valid slug (domain::IsValidSlug):
// they appear in URLs and pagination cursors. Uniqueness is left to the adapter, which must
// enforce it atomically with the write.
Status CheckCourseKeys(const domain::Course& course);

}  // namespace practica::store
