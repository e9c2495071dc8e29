// ProgressBar: a one-line progress bar for long command-line work (training), drawn on a stream
// (stderr for the commands). On a terminal (`in_place`) it is redrawn in place with '\r' each
// time the whole percentage changes and ended with a newline; otherwise (a log file, a pipe) it
// writes one line per 10% so that logs stay readable.
//
//   ProgressBar bar(std::cerr, "training", isatty(STDERR_FILENO));
//   TrainingControl control;
//   control.progress = bar.Callback();   // "training [#####.......]  42%   3.1 s"
//   ... Train(data, params, control) ...
//   bar.Finish();                        // draws 100% (if not yet) and the newline
//
// Thread-safety: one thread at a time; the training calls progress from the thread it runs on.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

namespace kindred {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::string label, bool in_place);
  ~ProgressBar();  // Finish(), if not done yet

  // Draws `fraction` (clamped to [0, 1]) when its whole percentage differs from the last drawn.
  void Update(double fraction);
  // A TrainingControl::progress that updates this bar, which must outlive it.
  std::function<void(double)> Callback();
  void Finish();

 private:
  void Draw(int percent);

  std::ostream& out_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  bool in_place_;
  int drawn_ = -1;  // percentage last drawn
  bool finished_ = false;
};

}  // namespace kindred
