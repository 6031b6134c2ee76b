// Test helpers: a fixture process (a local server the test talks to) and a throw-away folder.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace practica::aws::testing {

// A child process that announces itself with one line on stdout (a port, a JSON object). It gets
// SIGTERM when this object goes away, and when the test process dies (PR_SET_PDEATHSIG), so no
// fixture outlives its test.
class FixtureProcess {
 public:
  // Runs `argv` (argv[0] found in PATH) with `env` added to this process's environment, and waits
  // up to `timeout` for the first line of its stdout. Fails the current test and returns null if
  // no line comes.
  static std::unique_ptr<FixtureProcess> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::pair<std::string, std::string>>& env = {},
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~FixtureProcess();
  FixtureProcess(const FixtureProcess&) = delete;
  FixtureProcess& operator=(const FixtureProcess&) = delete;

  const std::string& first_line() const { return first_line_; }

 private:
  FixtureProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  pid_t pid_;
  int stdout_fd_;
  std::string first_line_;
};

// tests/aws/fixtures/http_fixture.py, started with python3; first_line() is its port.
std::unique_ptr<FixtureProcess> StartHttpFixture(const std::vector<std::string>& args = {});

// A new empty folder under the system's temporary folder, removed with everything in it when this
// object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace practica::aws::testing
