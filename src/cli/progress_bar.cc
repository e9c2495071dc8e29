#include "cli/progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace kindred {
namespace {

constexpr int kWidth = 30;  // characters between the brackets

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, std::string label, bool in_place)
    : out_(out),
      label_(std::move(label)),
      start_(std::chrono::steady_clock::now()),
      in_place_(in_place) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(double fraction) {
  if (finished_) return;
  const int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100.0);
  const int step = in_place_ ? 1 : 10;
  if (percent / step != drawn_ / step || drawn_ < 0) Draw(percent / step * step);
}

std::function<void(double)> ProgressBar::Callback() {
  return [this](double fraction) { Update(fraction); };
}

void ProgressBar::Finish() {
  if (finished_) return;
  if (drawn_ != 100) Draw(100);
  if (in_place_) out_ << '\n' << std::flush;
  finished_ = true;
}

void ProgressBar::Draw(int percent) {
  const int filled = percent * kWidth / 100;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char tail[32];
  std::snprintf(tail, sizeof tail, "] %3d%% %7.1f s", percent, seconds);
  out_ << (in_place_ ? "\r" : "") << label_ << " [" << std::string(filled, '#')
       << std::string(kWidth - filled, '.') << tail << (in_place_ ? "" : "\n") << std::flush;
  drawn_ = percent;
}

}  // namespace kindred
