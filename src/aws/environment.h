// Environment variables as a value, so that reading configuration is a pure function of a map and
// tests need no setenv (which is not thread-safe).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace practica::aws {

using Environment = std::map<std::string, std::string, std::less<>>;

// A copy of this process's environment. Call it at start-up: it reads `environ` unsynchronised.
Environment ProcessEnvironment();

// The variable's value, or "" when it is unset (an empty value counts as unset, as in the AWS
// SDKs).
std::string_view GetEnv(const Environment& env, std::string_view name);

// Whether the variable says "true", in any case (AWS_EC2_METADATA_DISABLED=True).
bool EnvIsTrue(const Environment& env, std::string_view name);

}  // namespace practica::aws
