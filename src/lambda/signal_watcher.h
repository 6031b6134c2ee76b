// SIGTERM and SIGINT handled on a thread of their own (sigwait), where any code may run, instead
// of in a signal handler, where almost none may.
#pragma once

#include <functional>
#include <thread>

namespace practica::lambda {

class SignalWatcher {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread, and so in every thread it starts from now on,
  // and calls `on_signal(signal)` on the watcher's thread for each one that arrives. Create it
  // before any other thread exists: a thread started earlier would still take the signal and die
  // of it.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  // Stops watching (the signals stay blocked).
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  std::function<void(int)> on_signal_;
  std::thread thread_;
};

}  // namespace practica::lambda
