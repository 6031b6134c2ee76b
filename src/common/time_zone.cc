#include "common/time_zone.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>

namespace practica {
namespace {

// Big-endian readers over the file's bytes; `at` advances. Callers check the size first.
int64_t ReadSigned(const std::string& data, size_t& at, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(data[at++]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return static_cast<int64_t>(value);
}

struct Counts {
  int64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

bool ReadHeader(const std::string& data, size_t& at, Counts& counts, char& version) {
  if (data.size() < at + 44 || data.compare(at, 4, "TZif") != 0) return false;
  version = data[at + 4];
  at += 20;
  counts.isut = ReadSigned(data, at, 4);
  counts.isstd = ReadSigned(data, at, 4);
  counts.leap = ReadSigned(data, at, 4);
  counts.time = ReadSigned(data, at, 4);
  counts.type = ReadSigned(data, at, 4);
  counts.chars = ReadSigned(data, at, 4);
  return counts.time >= 0 && counts.type > 0 && counts.type < 256 && counts.time < 100'000;
}

size_t BlockSize(const Counts& c, int time_bytes) {
  return static_cast<size_t>(c.time * time_bytes + c.time + c.type * 6 + c.chars +
                             c.leap * (time_bytes + 4) + c.isstd + c.isut);
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> TimeZone::Load(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;

  auto zone = std::shared_ptr<TimeZone>(new TimeZone());
  if (name != "UTC") {
    const bool safe = !name.empty() && name.front() != '/' && name.find("..") == std::string::npos;
    std::ifstream in(safe ? "/usr/share/zoneinfo/" + std::string(name) : std::string(),
                     std::ios::binary);
    if (!in) return Error::NotFound("unknown time zone '" + std::string(name) + "'");
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Error bad = Error::Invalid("time zone file of '" + std::string(name) + "' is not TZif");
    size_t at = 0;
    Counts counts;
    char version = 0;
    if (!ReadHeader(data, at, counts, version)) return bad;
    int time_bytes = 4;
    if (version >= '2') {  // skip the 32-bit block; the 64-bit one follows with its own header
      at += BlockSize(counts, 4);
      if (!ReadHeader(data, at, counts, version)) return bad;
      time_bytes = 8;
    }
    if (data.size() < at + BlockSize(counts, time_bytes)) return bad;
    std::vector<int64_t> times(static_cast<size_t>(counts.time));
    for (auto& t : times) t = ReadSigned(data, at, time_bytes);
    std::vector<int> indices(static_cast<size_t>(counts.time));
    for (auto& i : indices) i = static_cast<unsigned char>(data[at++]);
    std::vector<int32_t> type_offsets(static_cast<size_t>(counts.type));
    for (auto& offset : type_offsets) {
      offset = static_cast<int32_t>(ReadSigned(data, at, 4));
      at += 2;  // isdst, abbreviation index
    }
    for (size_t k = 0; k < times.size(); ++k) {
      if (indices[k] >= counts.type) return bad;
      zone->transitions_.push_back(times[k]);
      zone->offsets_.push_back(type_offsets[static_cast<size_t>(indices[k])]);
    }
    zone->initial_offset_ = type_offsets[0];
    if (!std::is_sorted(zone->transitions_.begin(), zone->transitions_.end())) return bad;
  }
  cache.emplace(std::string(name), zone);
  return std::shared_ptr<const TimeZone>(zone);
}

int64_t TimeZone::OffsetAt(int64_t unix_seconds) const {
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<size_t>(it - transitions_.begin() - 1)];
}

}  // namespace practica
