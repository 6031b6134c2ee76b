#include "fixture_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

extern char** environ;

namespace practica::aws::testing {

std::unique_ptr<FixtureProcess> FixtureProcess::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    std::chrono::milliseconds timeout) {
  // Everything the child needs is prepared before fork: between fork and exec it may only make
  // async-signal-safe calls.
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string line(*entry);
    const size_t equals = line.find('=');
    if (equals != std::string::npos) variables[line.substr(0, equals)] = line.substr(equals + 1);
  }
  for (const auto& [name, value] : env) variables[name] = value;
  std::vector<std::string> env_lines;
  for (const auto& [name, value] : variables) env_lines.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& line : env_lines) envp.push_back(line.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& arg : args) argp.push_back(arg.data());
  argp.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return nullptr;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
    ::dup2(pipe_fds[1], STDOUT_FILENO);       // dup2 clears O_CLOEXEC on the copy
    ::execvpe(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  std::unique_ptr<FixtureProcess> process(new FixtureProcess(pid, pipe_fds[0]));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{process->stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      ADD_FAILURE() << argv[0] << " printed no line within " << timeout.count() << " ms";
      return nullptr;
    }
    char c;
    if (::read(process->stdout_fd_, &c, 1) != 1) {
      ADD_FAILURE() << argv[0] << " exited before printing a line";
      return nullptr;
    }
    if (c == '\n') break;
    line += c;
  }
  process->first_line_ = std::move(line);
  return process;
}

FixtureProcess::~FixtureProcess() {
  ::kill(pid_, SIGTERM);
  // A fixture that ignores SIGTERM gets SIGKILL after two seconds.
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      ::close(stdout_fd_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  ::close(stdout_fd_);
}

std::unique_ptr<FixtureProcess> StartHttpFixture(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "python3", "-B", std::string(PRACTICA_SOURCE_DIR) + "/tests/aws/fixtures/http_fixture.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  return FixtureProcess::Start(argv);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "practica-aws-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace practica::aws::testing
