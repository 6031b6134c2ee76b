#include "content/bundle_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include "common/text.h"
#include "content/course_file.h"

namespace practica::content {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

void ReportTooLarge(const std::string& relative, ProblemList& problems) {
  problems.Add(relative, 0, "the file is larger than the limit of 1 MiB per bundle file");
}

// Writes `content` to a new temporary file beside `target` and flushes it to disk; gives its path.
Result<std::filesystem::path> WriteTemporary(const std::filesystem::path& target,
                                             const std::string& content) {
  std::string name = target.string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    return Error::Internal("cannot create a file beside " + target.string() + ": " + ErrnoText());
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = ErrnoText();
      ::close(fd);
      ::unlink(name.c_str());
      return Error::Internal("cannot write " + target.string() + ": " + reason);
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates 0600; bundle files are ordinary, shareable text.
  const bool ok = ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  const std::string reason = ok ? "" : ErrnoText();
  if (::close(fd) != 0 || !ok) {
    ::unlink(name.c_str());
    return Error::Internal("cannot write " + target.string() + ": " + reason);
  }
  return std::filesystem::path(name);
}

}  // namespace

std::optional<std::vector<std::string>> FolderSource::ListLessonsFolder() const {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_ / kLessonsDir, ec);
  if (ec) return std::nullopt;
  std::vector<std::string> names;
  for (const std::filesystem::directory_entry& entry : it) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

std::optional<std::string> CheckBundleText(std::string text, const std::string& relative,
                                           ProblemList& problems) {
  if (text.size() > kMaxBundleFileBytes) {
    ReportTooLarge(relative, problems);
    return std::nullopt;
  }
  if (const std::optional<size_t> bad = FindInvalidUtf8(text)) {
    problems.Add(relative, LineAt(text, *bad),
                 "the file is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
    return std::nullopt;
  }
  return text;
}

bool FolderSource::Exists(const std::string& relative) const {
  std::error_code ec;
  return std::filesystem::exists(dir_ / relative, ec);
}

std::optional<std::string> FolderSource::Read(const std::string& relative, ProblemList& problems) {
  const std::filesystem::path path = dir_ / relative;
  std::error_code ec;
  if (std::filesystem::is_symlink(path, ec)) {
    problems.Add(relative, 0, "is a symbolic link; bundle files must be regular files");
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    problems.Add(
        relative, 0,
        std::filesystem::exists(path, ec) ? "is not a regular file" : "the file does not exist");
    return std::nullopt;
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    problems.Add(relative, 0, "cannot read the file: " + ec.message());
    return std::nullopt;
  }
  // Checked before reading, so that a huge file is never read into memory.
  if (size > kMaxBundleFileBytes) {
    ReportTooLarge(relative, problems);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    problems.Add(relative, 0, "cannot read the file");
    return std::nullopt;
  }
  return CheckBundleText(std::move(text), relative, problems);
}

Status WriteFilesAtomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
  std::vector<std::filesystem::path> temporaries;
  const auto discard = [&] {
    for (const std::filesystem::path& temporary : temporaries) ::unlink(temporary.c_str());
  };
  for (const auto& [target, content] : files) {
    Result<std::filesystem::path> temporary = WriteTemporary(target, content);
    if (!temporary.ok()) {
      discard();
      return std::move(temporary).error();
    }
    temporaries.push_back(std::move(temporary).value());
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(temporaries[i].c_str(), files[i].first.c_str()) != 0) {
      const std::string reason = ErrnoText();
      temporaries.erase(temporaries.begin(), temporaries.begin() + static_cast<long>(i));
      discard();
      return Error::Internal("cannot replace " + files[i].first.string() + ": " + reason);
    }
  }
  return Status::Ok();
}

}  // namespace practica::content
