// Clock: the one seam through which kindred reads wall-clock time, so tests can pin it.
//
// Thread-safety: SystemClock is stateless; a FakeClock must only be advanced while no other
// thread reads it, or be wrapped by the test in its own synchronisation.
#pragma once

#include <atomic>
#include <cstdint>

namespace kindred {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const = 0;
  // Seconds since the Unix epoch, with millisecond precision (the form AWS JSON timestamps use).
  double NowSeconds() const { return static_cast<double>(NowMillis()) / 1000.0; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
  // A process-wide instance.
  static const SystemClock& Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t millis) : millis_(millis) {}
  int64_t NowMillis() const override { return millis_.load(); }
  void Advance(int64_t millis) { millis_ += millis; }
  void Set(int64_t millis) { millis_ = millis; }

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace kindred
