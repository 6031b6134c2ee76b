// Structured logging: one JSON object per line on stdout (CloudWatch and `jq` read it as is).
//
// Thread-safe. Lines are buffered and flushed by a background flusher (see StartLogFlusher) or
// by FlushLogs(); a line is never interleaved with another. Never log secrets: callers pass only
// fields that are safe to keep.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <variant>

namespace practica::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Parses "debug" | "info" | "warn" | "error".
bool ParseLevel(std::string_view name, Level& level);
void SetLevel(Level level);
bool Enabled(Level level);

using Value = std::variant<std::string_view, int64_t, double, bool>;
struct Field {
  std::string_view key;
  Value value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, unsigned v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, msg, fields);
}

// Fields added to every line written from now until ClearContext, whichever thread writes it: the
// Lambda runtime puts the invocation's request id and trace id there. Process-wide rather than per
// thread, because an asynchronous handler logs from the thread that completes it (the SQLite
// writer), and a Lambda process runs one invocation at a time. Replaces any earlier context.
void SetContext(std::initializer_list<Field> fields);
void ClearContext();

// Writes buffered lines out now.
void FlushLogs();

// Buffers stdout and flushes it every `interval_ms` from a background thread, until
// StopLogFlusher() (which flushes one last time). Without it, every line is flushed at once.
void StartLogFlusher(int interval_ms = 200);
void StopLogFlusher();

}  // namespace practica::log
