#include "common/log.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

#include "common/json.h"
#include "common/log_document.h"

namespace practica::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};

struct Sink {
  std::mutex mutex;
  bool buffered = false;  // GUARDED_BY(mutex)
  std::condition_variable stop_cv;
  bool stopping = false;  // GUARDED_BY(mutex)
  std::thread flusher;
  std::string context;  // GUARDED_BY(mutex): rendered fields, each with its leading comma
};

Sink& TheSink() {
  static Sink sink;  // a leaky-safe function-local static: usable during static destruction too
  return sink;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// "2026-11-25T18:00:00.123Z". The date and time up to the second change once a second, so each
// thread formats them only then.
void AppendTime(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[64];
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
  }
  out += cached;
  const int millis = static_cast<int>(ms % 1000);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
}

// Appends `,"key":value`.
void AppendField(std::string& line, const Field& field) {
  line.push_back(',');
  AppendJsonString(line, field.key);
  line.push_back(':');
  if (const auto* s = std::get_if<std::string_view>(&field.value)) {
    AppendJsonString(line, *s);
  } else if (const auto* i = std::get_if<int64_t>(&field.value)) {
    line += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&field.value)) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::fixed, 3);
    line.append(buf, ec == std::errc() ? end : buf);
  } else {
    line += std::get<bool>(field.value) ? "true" : "false";
  }
}

}  // namespace

bool ParseLevel(std::string_view name, Level& level) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (LevelName(l) == name) {
      level = l;
      return true;
    }
  }
  return false;
}

void SetLevel(Level level) { g_level.store(level, std::memory_order_relaxed); }

bool Enabled(Level level) { return level >= g_level.load(std::memory_order_relaxed); }

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  AppendTime(line);
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"msg\":";
  AppendJsonString(line, msg);
  for (const Field& field : fields) AppendField(line, field);

  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  line += sink.context;
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  if (!sink.buffered) std::fflush(stdout);
}

void WriteDocument(std::string_view json) {
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
  if (!sink.buffered) std::fflush(stdout);
}

void SetContext(std::initializer_list<Field> fields) {
  std::string context;
  for (const Field& field : fields) AppendField(context, field);
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  sink.context = std::move(context);
}

void ClearContext() {
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  sink.context.clear();
}

void FlushLogs() {
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  std::fflush(stdout);
}

void StartLogFlusher(int interval_ms) {
  Sink& sink = TheSink();
  std::lock_guard lock(sink.mutex);
  if (sink.flusher.joinable()) return;
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  sink.buffered = true;
  sink.stopping = false;
  sink.flusher = std::thread([&sink, interval_ms] {
    std::unique_lock flusher_lock(sink.mutex);
    while (!sink.stopping) {
      sink.stop_cv.wait_for(flusher_lock, std::chrono::milliseconds(interval_ms));
      std::fflush(stdout);
    }
  });
}

void StopLogFlusher() {
  Sink& sink = TheSink();
  {
    std::lock_guard lock(sink.mutex);
    if (!sink.flusher.joinable()) return;
    sink.stopping = true;
    sink.buffered = false;
  }
  sink.stop_cv.notify_all();
  sink.flusher.join();
  std::fflush(stdout);
}

}  // namespace practica::log
