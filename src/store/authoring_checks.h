// What every AuthoringStore adapter does the same way: the checks before a write, the owners'
// normal form, and the errors, so that all adapters refuse the same input with the same error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"
#include "store/authoring_store.h"

namespace practica::store {

// kInvalid unless `document` is the course `slug` (document.slug == slug), its ids are slugs
// (CheckCourseKeys) and its lesson slugs and exercise ids are each used once.
Status CheckCourseDocument(std::string_view slug, const domain::Course& document);

// Sorted, each once.
std::vector<std::string> NormalizeOwners(std::vector<std::string> owners);

// kConflict with type kStaleRevision.
Error StaleRevision(std::string_view slug, int64_t expected, int64_t actual);

// The VersionInfo of version `number` publishing `content` from draft revision `draft_revision`.
VersionInfo MakeVersionInfo(int number, const domain::Course& content,
                            const Publication& publication, int64_t draft_revision);

}  // namespace practica::store
