// A small zip writer for tests: every field of an entry is under the test's control, so that
// malformed and malicious zips (lying sizes, links, encryption flags, bad names) can be built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace practica::content::testing {

struct TestZipEntry {
  std::string name;
  std::string data;                       // the content, deflated (or stored) by BuildTestZip
  bool deflate = true;                    // method 8, else 0 (stored)
  std::optional<uint16_t> method;         // the method recorded, instead of 8 or 0
  uint16_t flags = 0x0800;                // general purpose bits; 0x0800: the name is UTF-8
  uint8_t system = 3;                     // "version made by" host: 3 Unix, 0 MS-DOS
  uint32_t external = 0100644u << 16;     // external attributes: a regular file, rw-r--r--
  std::optional<uint32_t> declared_size;  // claimed inflated size, instead of data.size()
  // Already compressed data (deflate), written as is instead of `data`, with its real size and
  // CRC-32 (unless declared_size says otherwise).
  std::optional<std::string> raw;
  uint32_t raw_size = 0;
  uint32_t raw_crc = 0;
};

// The zip of `entries`, in order: local headers and data, central directory, end record.
std::string BuildTestZip(const std::vector<TestZipEntry>& entries);

// An entry whose data is `zeros` zero bytes deflated at level 9, built without holding them.
TestZipEntry ZerosEntry(std::string name, uint32_t zeros);

// Every regular file of the folder `dir` as entries named `prefix` + its relative path, sorted.
std::vector<TestZipEntry> FolderEntries(const std::string& dir, const std::string& prefix);

}  // namespace practica::content::testing
