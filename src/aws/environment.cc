#include "aws/environment.h"

#include <unistd.h>

#include "common/text.h"

namespace practica::aws {

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view line(*entry);
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(line.substr(0, equals), line.substr(equals + 1));
  }
  return env;
}

std::string_view GetEnv(const Environment& env, std::string_view name) {
  const auto it = env.find(name);
  return it == env.end() ? std::string_view() : std::string_view(it->second);
}

bool EnvIsTrue(const Environment& env, std::string_view name) {
  return EqualsIgnoreCase(GetEnv(env, name), "true");
}

}  // namespace practica::aws
