// Course bundles as zip files: what an upload or `practica import COURSE.zip` reads, and what a
// download or `practica export COURSE out.zip` writes. A zip holds the same files as a bundle
// folder (docs/CONTENT.md), at its root or inside one top-level folder (what zipping the folder
// gives). Everything happens in memory: an uploaded zip is never extracted to disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/course.h"

namespace practica::content {

// The limits of a zip read (docs/CONTENT.md "Bundles as zip files"). Sizes are of inflated data
// unless said otherwise; course.yaml and the lessons keep the 1 MiB limit of every bundle file.
inline constexpr size_t kMaxBundleZipBytes = 50 * 1024 * 1024;    // the zip itself, compressed
inline constexpr uint64_t kMaxZipEntries = 2000;                  // entries, folders included
inline constexpr uint64_t kMaxZipEntryBytes = 10 * 1024 * 1024;   // any one entry
inline constexpr uint64_t kMaxZipTotalBytes = 100 * 1024 * 1024;  // all entries together
// An entry larger than kZipRatioFloor may inflate to at most kMaxZipRatio times its compressed
// size: text compresses about 3 to 10 times, a zip bomb a thousand times.
inline constexpr uint64_t kMaxZipRatio = 100;
inline constexpr uint64_t kZipRatioFloor = 64 * 1024;

// Reads and validates the bundle in the zip `bytes`, exactly as ReadBundle does a folder: on any
// problem, ErrorCode::kInvalid with every problem found in Error::fields ("FILE:LINE", message),
// and nothing partial. `name` is how the zip is called in those problems: an entry's problem is
// reported as "NAME/ENTRY:LINE", a problem of the zip as a whole as "NAME:0".
//
// Every entry is checked before anything is inflated: no absolute names, '..', '.' or empty
// segments, backslashes, control characters, invalid UTF-8 or duplicates; only regular files and
// folders (no symbolic links or other special files); no encryption; only stored or deflated
// data; and the limits above, on the sizes the zip declares. The sizes declared are only a hint:
// the bytes actually inflated are counted against the same limits, and inflating stops at them.
// Only course.yaml and the lesson files are inflated; other entries (assets/) are checked and
// ignored, as ReadBundle ignores them in a folder.
Result<domain::Course> ReadBundleZip(std::string_view bytes, std::string_view name);

// `course` as a bundle zip: its files (FormatBundle) under one folder named after the course's
// slug, in name order, deflated, with a fixed time stamp and mode, so that the same course always
// gives the same bytes. ReadBundleZip(WriteBundleZip(c)) == c. A course FormatBundle refuses is
// refused the same way (kInvalid).
Result<std::string> WriteBundleZip(const domain::Course& course);

// WriteBundleZip into the file `path` (its folder created if missing), replaced atomically:
// never half written.
Status WriteBundleZipFile(const domain::Course& course, const std::filesystem::path& path);

// Reads the zip file `path` (at most kMaxBundleZipBytes; a larger file is not read) and gives
// ReadBundleZip(its bytes, path).
Result<domain::Course> ReadBundleZipFile(const std::filesystem::path& path);

// Whether `path` names a bundle zip rather than a folder: it ends in ".zip" (any case).
bool IsBundleZipPath(const std::filesystem::path& path);

}  // namespace practica::content
