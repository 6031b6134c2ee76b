// Bundles as zips over libzip, in memory. Reading is in three steps: every entry's name, type,
// flags and declared sizes are checked; the bundle's root is found; then ReadBundleFrom reads the
// bundle through a BundleSource that inflates an entry only when it is asked for, counting the
// bytes it inflates against the limits.
#include "content/bundle_zip.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "common/text.h"
#include "content/bundle.h"
#include "content/bundle_files.h"
#include "content/course_file.h"

namespace practica::content {
namespace {

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipDiscard>;

struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipFile = std::unique_ptr<zip_file_t, ZipFileClose>;

struct ZipSourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};
using ZipSource = std::unique_ptr<zip_source_t, ZipSourceFree>;

std::string MiB(uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

// One checked entry: a regular file (a folder's entries are only checked).
struct FileEntry {
  zip_uint64_t index = 0;
  uint64_t compressed_size = 0;
};

// Valid UTF-8 without control characters: fit to be shown in a message.
bool IsPrintable(std::string_view name) {
  return IsValidUtf8(name) && std::none_of(name.begin(), name.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
         });
}

// Why the entry name `name` is not acceptable, or nullopt. Names only key a map in memory here,
// but a name that would leave a folder when extracted, or that tools read differently, is
// refused all the same: the same zip may well be unzipped somewhere else.
std::optional<std::string> NameProblem(std::string_view name) {
  if (name.empty()) return "the entry has no name";
  if (!IsValidUtf8(name)) return "the name is not valid UTF-8";
  if (!IsPrintable(name)) return "the name has a control character";
  if (name.find('\\') != std::string_view::npos) {
    return "the name has a backslash; zip names separate folders with '/'";
  }
  if (name.front() == '/') return "the name is absolute; entries must be relative to the zip";
  std::string_view rest = name;
  if (rest.back() == '/') rest.remove_suffix(1);  // a folder
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) return "the name has an empty segment ('//')";
    if (segment == "..") return "the name has a '..' segment, which would leave the bundle";
    if (segment == ".") return "the name has a '.' segment";
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return std::nullopt;
}

// What the zip knows of an entry's file type: kRegular, kFolder, or why it is refused.
enum class EntryType { kRegular, kFolder, kLink, kSpecial };

EntryType TypeOf(zip_t* archive, zip_uint64_t index, std::string_view name) {
  const bool folder_name = name.back() == '/';
  zip_uint8_t system = 0;
  zip_uint32_t attributes = 0;
  if (zip_file_get_external_attributes(archive, index, 0, &system, &attributes) != 0) {
    return folder_name ? EntryType::kFolder : EntryType::kRegular;
  }
  if (system == ZIP_OPSYS_UNIX) {
    const zip_uint32_t mode = attributes >> 16;
    switch (mode & S_IFMT) {
      case 0:  // no Unix type recorded: the name decides
        break;
      case S_IFREG:
        return folder_name ? EntryType::kSpecial : EntryType::kRegular;
      case S_IFDIR:
        return folder_name ? EntryType::kFolder : EntryType::kSpecial;
      case S_IFLNK:
        return EntryType::kLink;
      default:
        return EntryType::kSpecial;
    }
  }
  // MS-DOS attributes in the low byte: 0x10 a folder; 0x400 a reparse point (a link).
  if ((attributes & 0x400) != 0) return EntryType::kLink;
  if ((attributes & 0x10) != 0 && !folder_name) return EntryType::kSpecial;
  return folder_name ? EntryType::kFolder : EntryType::kRegular;
}

// The bundle files of a checked zip, by path relative to the bundle's root. Inflates on demand.
class ZipBundleSource final : public BundleSource {
 public:
  ZipBundleSource(zip_t* archive, std::map<std::string, FileEntry> files,
                  std::set<std::string> folders)
      : archive_(archive), files_(std::move(files)), folders_(std::move(folders)) {}

  std::optional<std::vector<std::string>> ListLessonsFolder() const override {
    const std::string prefix = std::string(kLessonsDir) + "/";
    std::set<std::string> names;
    bool found = folders_.count(std::string(kLessonsDir)) > 0;
    for (const auto& [path, entry] : files_) {
      if (path.compare(0, prefix.size(), prefix) != 0) continue;
      found = true;
      const std::string rest = path.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
    if (!found) return std::nullopt;
    return std::vector<std::string>(names.begin(), names.end());
  }

  bool Exists(const std::string& relative) const override {
    return files_.count(relative) > 0 || folders_.count(relative) > 0;
  }

  std::optional<std::string> Read(const std::string& relative, ProblemList& problems) override {
    const auto found = files_.find(relative);
    if (found == files_.end()) {
      problems.Add(
          relative, 0,
          folders_.count(relative) > 0 ? "is not a regular file" : "the file does not exist");
      return std::nullopt;
    }
    std::optional<std::string> text = Inflate(relative, found->second, problems);
    if (!text) return std::nullopt;
    return CheckBundleText(std::move(*text), relative, problems);
  }

 private:
  // The entry's bytes, counted as they come: past the bundle-file limit, the ratio limit or the
  // total limit it stops and reports, whatever the zip declared.
  std::optional<std::string> Inflate(const std::string& relative, const FileEntry& entry,
                                     ProblemList& problems) {
    const ZipFile file(zip_fopen_index(archive_, entry.index, 0));
    if (!file) {
      problems.Add(relative, 0, std::string("cannot read the entry: ") + zip_strerror(archive_));
      return std::nullopt;
    }
    std::string data;
    std::array<char, 64 * 1024> buffer;
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
      if (n < 0) {
        problems.Add(relative, 0,
                     std::string("the entry's data is damaged: ") + zip_file_strerror(file.get()));
        return std::nullopt;
      }
      if (n == 0) break;
      data.append(buffer.data(), static_cast<size_t>(n));
      if (data.size() > kMaxBundleFileBytes) {
        problems.Add(relative, 0, "the file is larger than the limit of 1 MiB per bundle file");
        return std::nullopt;
      }
      if (data.size() > kZipRatioFloor && data.size() > kMaxZipRatio * entry.compressed_size) {
        problems.Add(relative, 0,
                     "the entry inflates to more than " + std::to_string(kMaxZipRatio) +
                         " times its compressed size (a zip bomb?)");
        return std::nullopt;
      }
      if (inflated_ + data.size() > kMaxZipTotalBytes) {
        problems.Add(relative, 0,
                     "the zip inflates to more than " + MiB(kMaxZipTotalBytes) + " in all");
        return std::nullopt;
      }
    }
    inflated_ += data.size();
    return data;
  }

  zip_t* archive_;
  std::map<std::string, FileEntry> files_;  // "lessons/01-a.md" → its entry
  std::set<std::string> folders_;           // "lessons", also the folders only implied by files
  uint64_t inflated_ = 0;
};

// Every entry of `archive`, checked. Problems name entries by their names in the zip.
struct CheckedEntries {
  std::map<std::string, FileEntry> files;  // by full name
  std::set<std::string> folders;           // full names, without the trailing '/'
};

CheckedEntries CheckEntries(zip_t* archive, ProblemList& problems, const std::string& zip_name) {
  CheckedEntries checked;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0 || static_cast<uint64_t>(count) > kMaxZipEntries) {
    problems.Add(zip_name, 0,
                 "the zip has " + std::to_string(count) + " entries; at most " +
                     std::to_string(kMaxZipEntries) + " are allowed");
    return checked;
  }
  std::set<std::string> names;
  uint64_t total = 0;
  for (zip_uint64_t index = 0; index < static_cast<zip_uint64_t>(count); ++index) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, index, ZIP_FL_ENC_RAW, &stat) != 0 ||
        (stat.valid & ZIP_STAT_NAME) == 0) {
      problems.Add(
          zip_name, 0,
          "entry " + std::to_string(index + 1) + " cannot be read: " + zip_strerror(archive));
      continue;
    }
    const std::string name = stat.name;
    const std::optional<std::string> name_problem = NameProblem(name);
    // A name that is not printable text is reported by its position instead.
    const std::string shown =
        zip_name + "/" + (IsPrintable(name) ? name : "(entry " + std::to_string(index + 1) + ")");
    if (name_problem) {
      problems.Add(shown, 0, *name_problem);
      continue;
    }
    if (!names.insert(name).second) {
      problems.Add(shown, 0, "another entry has the same name");
      continue;
    }
    const EntryType type = TypeOf(archive, index, name);
    if (type == EntryType::kLink) {
      problems.Add(shown, 0, "is a symbolic link; bundle files must be regular files");
      continue;
    }
    if (type == EntryType::kSpecial) {
      problems.Add(shown, 0, "is not a regular file or a folder");
      continue;
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
      problems.Add(shown, 0, "is encrypted; a bundle zip must not be");
      continue;
    }
    if ((stat.valid & ZIP_STAT_COMP_METHOD) != 0 && stat.comp_method != ZIP_CM_STORE &&
        stat.comp_method != ZIP_CM_DEFLATE) {
      problems.Add(shown, 0,
                   "uses compression method " + std::to_string(stat.comp_method) +
                       "; only stored and deflated entries are supported");
      continue;
    }
    const uint64_t size = (stat.valid & ZIP_STAT_SIZE) != 0 ? stat.size : 0;
    const uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) != 0 ? stat.comp_size : 0;
    if (size > kMaxZipEntryBytes) {
      problems.Add(shown, 0,
                   "the entry inflates to " + std::to_string(size) + " bytes; the limit is " +
                       MiB(kMaxZipEntryBytes) + " per entry");
      continue;
    }
    if (size > kZipRatioFloor && size > kMaxZipRatio * compressed) {
      problems.Add(shown, 0,
                   "the entry inflates to more than " + std::to_string(kMaxZipRatio) +
                       " times its compressed size (a zip bomb?)");
      continue;
    }
    total += size;
    if (type == EntryType::kFolder) {
      checked.folders.insert(name.substr(0, name.size() - 1));
    } else {
      checked.files.emplace(name, FileEntry{index, compressed});
    }
  }
  if (total > kMaxZipTotalBytes) {
    problems.Add(zip_name, 0,
                 "the entries inflate to " + std::to_string(total) +
                     " bytes in all; the limit is " + MiB(kMaxZipTotalBytes));
  }
  return checked;
}

// The bundle's root inside the zip: "" when course.yaml is at the top, "F/" when it is in the
// one top-level folder F that holds one (macOS's __MACOSX/ folder of metadata aside); nullopt
// (reported) otherwise.
std::optional<std::string> FindRoot(const CheckedEntries& entries, ProblemList& problems,
                                    const std::string& zip_name) {
  const std::string course_file(kCourseFile);
  if (entries.files.count(course_file) > 0) return std::string();
  std::vector<std::string> roots;
  for (const auto& [name, entry] : entries.files) {
    const size_t slash = name.find('/');
    if (slash == std::string::npos || name.compare(slash + 1, std::string::npos, course_file) != 0)
      continue;
    const std::string folder = name.substr(0, slash + 1);
    if (folder != "__MACOSX/") roots.push_back(folder);
  }
  if (roots.size() == 1) return roots.front();
  if (roots.empty()) {
    problems.Add(zip_name, 0,
                 entries.files.empty() && entries.folders.empty()
                     ? "the zip is empty"
                     : "the zip has no course.yaml, neither at its top nor in a top-level folder");
  } else {
    std::string list;
    for (const std::string& root : roots) list += (list.empty() ? "" : ", ") + root;
    problems.Add(zip_name, 0,
                 "the zip holds several bundles (" + list + "); a zip holds one course");
  }
  return std::nullopt;
}

// The entries under `root`, with `root` taken off their names; folders only implied by a file's
// name ("lessons/" of "lessons/01-a.md") are added.
ZipBundleSource BundleUnder(zip_t* archive, const CheckedEntries& entries,
                            const std::string& root) {
  std::map<std::string, FileEntry> files;
  std::set<std::string> folders;
  for (const auto& [name, entry] : entries.files) {
    if (name.compare(0, root.size(), root) != 0) continue;
    const std::string relative = name.substr(root.size());
    for (size_t slash = relative.find('/'); slash != std::string::npos;
         slash = relative.find('/', slash + 1)) {
      folders.insert(relative.substr(0, slash));
    }
    files.emplace(relative, entry);
  }
  for (const std::string& folder : entries.folders) {
    if (folder.size() > root.size() && folder.compare(0, root.size(), root) == 0) {
      folders.insert(folder.substr(root.size()));
    }
  }
  return ZipBundleSource(archive, std::move(files), std::move(folders));
}

Error ZipError(const std::string& zip_name, const std::string& message) {
  ProblemList problems;
  problems.Add(zip_name, 0, message);
  return problems.ToError();
}

}  // namespace

Result<domain::Course> ReadBundleZip(std::string_view bytes, std::string_view name) {
  const std::string zip_name = name.empty() ? std::string("bundle.zip") : std::string(name);
  if (bytes.size() > kMaxBundleZipBytes) {
    return ZipError(zip_name, "the zip is " + std::to_string(bytes.size()) +
                                  " bytes; the limit is " + MiB(kMaxBundleZipBytes));
  }
  // libzip takes a zero-byte input for an empty archive: say what it is instead.
  if (bytes.empty()) return ZipError(zip_name, "the file is empty, not a zip");

  zip_error_t error;
  zip_error_init(&error);
  ZipSource source(zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
  if (!source) {
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Error::Internal("cannot read a zip in memory: " + reason);
  }
  // ZIP_CHECKCONS: each local header must agree with the central directory.
  ZipArchive archive(zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!archive) {
    const bool duplicate = zip_error_code_zip(&error) == ZIP_ER_EXISTS;
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (!duplicate) return ZipError(zip_name, "is not a readable zip file: " + reason);
    // Two entries of one name: open without the consistency checks to say which (a failed open
    // leaves the source closed and ours).
    archive.reset(zip_open_from_source(source.get(), ZIP_RDONLY, nullptr));
    if (!archive) return ZipError(zip_name, "is not a readable zip file: " + reason);
  }
  source.release();  // the archive owns it now
  zip_error_fini(&error);

  ProblemList problems;
  const CheckedEntries entries = CheckEntries(archive.get(), problems, zip_name);
  if (!problems.empty()) return problems.ToError();
  const std::optional<std::string> root = FindRoot(entries, problems, zip_name);
  if (!root) return problems.ToError();

  ZipBundleSource bundle = BundleUnder(archive.get(), entries, *root);
  Result<domain::Course> course = ReadBundleFrom(bundle);
  if (course.ok()) return course;
  // Problems name files relative to the bundle; name the entries instead.
  Error failed = std::move(course).error();
  for (FieldError& field : failed.fields) {
    if (!field.field.empty()) field.field = zip_name + "/" + *root + field.field;
  }
  return failed;
}

Result<std::string> WriteBundleZip(const domain::Course& course) {
  Result<std::vector<BundleFile>> formatted = FormatBundle(course);
  if (!formatted.ok()) return std::move(formatted).error();
  std::vector<BundleFile> files = std::move(formatted).value();
  const std::string folder = course.slug + "/";
  for (BundleFile& file : files) file.path = folder + file.path;
  std::sort(files.begin(), files.end(),
            [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });

  zip_error_t error;
  zip_error_init(&error);
  ZipSource buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) {
    zip_error_fini(&error);
    return Error::Internal("cannot make a zip in memory");
  }
  ZipArchive archive(zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error));
  zip_error_fini(&error);
  if (!archive) return Error::Internal("cannot make a zip in memory");
  zip_source_keep(buffer.get());  // kept for reading once the archive is closed

  const auto failed = [&](const std::string& what) {
    return Error::Internal("cannot write " + what +
                           " into the zip: " + zip_strerror(archive.get()));
  };
  // 1980-01-01 00:00, the first time a zip can hold: in MS-DOS form, independent of the time zone.
  constexpr zip_uint16_t kDosTime = 0;
  constexpr zip_uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;
  for (const BundleFile& file : files) {
    zip_source_t* data =
        zip_source_buffer(archive.get(), file.content.data(), file.content.size(), 0);
    if (data == nullptr) return failed(file.path);
    const zip_int64_t index =
        zip_file_add(archive.get(), file.path.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      return failed(file.path);
    }
    const auto at = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive.get(), at, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_dostime(archive.get(), at, kDosTime, kDosDate, 0) != 0 ||
        zip_file_set_external_attributes(archive.get(), at, 0, ZIP_OPSYS_UNIX,
                                         static_cast<zip_uint32_t>(S_IFREG | 0644) << 16) != 0) {
      return failed(file.path);
    }
  }
  // zip_close writes the archive into `buffer` (the file contents must live until then).
  if (zip_close(archive.get()) != 0) return failed("the central directory");
  archive.release();

  if (zip_source_open(buffer.get()) != 0) return Error::Internal("cannot read the zip back");
  std::string bytes;
  std::array<char, 64 * 1024> chunk;
  zip_int64_t n = 0;
  while ((n = zip_source_read(buffer.get(), chunk.data(), chunk.size())) > 0) {
    bytes.append(chunk.data(), static_cast<size_t>(n));
  }
  zip_source_close(buffer.get());
  if (n < 0) return Error::Internal("cannot read the zip back");
  return bytes;
}

Status WriteBundleZipFile(const domain::Course& course, const std::filesystem::path& path) {
  Result<std::string> bytes = WriteBundleZip(course);
  if (!bytes.ok()) return std::move(bytes).error();
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Error::Internal("cannot create " + folder.string() + ": " + ec.message());
  return WriteFilesAtomically({{path, std::move(bytes).value()}});
}

Result<domain::Course> ReadBundleZipFile(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error::Invalid(
        name + ": " +
        (std::filesystem::exists(path, ec) ? "not a regular file" : "the file does not exist"));
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Error::Invalid(name + ": cannot read the file: " + ec.message());
  if (size > kMaxBundleZipBytes) {
    return ZipError(name, "the zip is " + std::to_string(size) + " bytes; the limit is " +
                              MiB(kMaxBundleZipBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Error::Invalid(name + ": cannot read the file");
  }
  return ReadBundleZip(bytes, name);
}

bool IsBundleZipPath(const std::filesystem::path& path) {
  return EqualsIgnoreCase(path.extension().string(), ".zip");
}

}  // namespace practica::content
