#include "content/test_zip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace practica::content::testing {
namespace {

void Put16(std::string& out, uint32_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>((value >> 8) & 0xff));
}
void Put32(std::string& out, uint32_t value) {
  Put16(out, value & 0xffff);
  Put16(out, value >> 16);
}

// Raw deflate (no zlib header) of `chunks` chunks of `data`, level 9.
std::string Deflate(std::string_view data, uint32_t chunks = 1) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  char buffer[64 * 1024];
  for (uint32_t i = 0; i < chunks; ++i) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    const int flush = i + 1 == chunks ? Z_FINISH : Z_NO_FLUSH;
    int result = Z_OK;
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      result = deflate(&stream, flush);
      out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0 || (flush == Z_FINISH && result != Z_STREAM_END));
  }
  deflateEnd(&stream);
  return out;
}

uint32_t Crc(std::string_view data) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

}  // namespace

std::string BuildTestZip(const std::vector<TestZipEntry>& entries) {
  std::string out;
  std::string directory;
  for (const TestZipEntry& entry : entries) {
    const std::string stored = entry.raw       ? *entry.raw
                               : entry.deflate ? Deflate(entry.data)
                                               : entry.data;
    const uint32_t crc = entry.raw ? entry.raw_crc : Crc(entry.data);
    const uint32_t size = entry.declared_size.value_or(
        entry.raw ? entry.raw_size : static_cast<uint32_t>(entry.data.size()));
    const uint16_t method = entry.method.value_or(entry.raw || entry.deflate ? 8 : 0);
    const uint32_t offset = static_cast<uint32_t>(out.size());
    const auto common = [&](std::string& header) {
      Put16(header, 20);  // version needed: 2.0
      Put16(header, entry.flags);
      Put16(header, method);
      Put16(header, 0);                        // time
      Put16(header, (0 << 9) | (1 << 5) | 1);  // date: 1980-01-01
      Put32(header, crc);
      Put32(header, static_cast<uint32_t>(stored.size()));
      Put32(header, size);
      Put16(header, static_cast<uint32_t>(entry.name.size()));
      Put16(header, 0);  // extra field length
    };
    Put32(out, 0x04034b50);
    common(out);
    out += entry.name;
    out += stored;

    Put32(directory, 0x02014b50);
    Put16(directory, (static_cast<uint32_t>(entry.system) << 8) | 20);
    common(directory);
    Put16(directory, 0);  // comment length
    Put16(directory, 0);  // disk
    Put16(directory, 0);  // internal attributes
    Put32(directory, entry.external);
    Put32(directory, offset);
    directory += entry.name;
  }
  const uint32_t directory_offset = static_cast<uint32_t>(out.size());
  out += directory;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put32(out, static_cast<uint32_t>(directory.size()));
  Put32(out, directory_offset);
  Put16(out, 0);
  return out;
}

TestZipEntry ZerosEntry(std::string name, uint32_t zeros) {
  constexpr uint32_t kChunk = 1024 * 1024;
  EXPECT_EQ(zeros % kChunk, 0u);
  const std::string chunk(kChunk, '\0');
  uLong crc = crc32(0, nullptr, 0);
  for (uint32_t i = 0; i < zeros / kChunk; ++i) {
    crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk.data()), kChunk);
  }
  TestZipEntry entry;
  entry.name = std::move(name);
  entry.raw = Deflate(chunk, zeros / kChunk);
  entry.raw_size = zeros;
  entry.raw_crc = static_cast<uint32_t>(crc);
  return entry;
}

std::vector<TestZipEntry> FolderEntries(const std::string& dir, const std::string& prefix) {
  std::vector<TestZipEntry> entries;
  for (const auto& file : std::filesystem::recursive_directory_iterator(dir)) {
    if (!file.is_regular_file()) continue;
    std::ifstream in(file.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    TestZipEntry entry;
    entry.name = prefix + std::filesystem::relative(file.path(), dir).generic_string();
    entry.data = text.str();
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const TestZipEntry& a, const TestZipEntry& b) { return a.name < b.name; });
  return entries;
}

}  // namespace practica::content::testing
