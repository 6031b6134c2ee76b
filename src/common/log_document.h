// A JSON document written as a log line of its own, for collectors that read such lines as they
// are (an Embedded Metric Format line, app/request_metrics.h). It goes through the same buffer
// and lock as log.h's lines, so it is never interleaved with one.
#pragma once

#include <string_view>

namespace practica::log {

// Writes `json`, one complete JSON object without a newline, as a line: whatever the level, and
// without the context fields of log.h's lines.
void WriteDocument(std::string_view json);

}  // namespace practica::log
