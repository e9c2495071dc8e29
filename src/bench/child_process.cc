#include "bench/child_process.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

namespace kindred {
namespace {

// In the child: writes all of `bytes` to `fd`.
void WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void RunAndExit(int fd, const std::function<Result<nlohmann::json>()>& work) {
  nlohmann::json message;
  try {
    Result<nlohmann::json> result = work();
    if (result.ok()) {
      message = {{"value", std::move(result).value()}};
    } else {
      message = {{"code", static_cast<int>(result.status().code())},
                 {"message", result.status().message()}};
    }
  } catch (const std::exception& e) {
    message = {{"code", static_cast<int>(StatusCode::kInternal)},
               {"message", std::string("exception: ") + e.what()}};
  }
  WriteAll(fd, message.dump());
  ::close(fd);
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(0);
}

}  // namespace

Result<ChildOutcome> RunInChild(const std::function<Result<nlohmann::json>()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::Internal(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    RunAndExit(fds[1], work);
  }
  ::close(fds[1]);
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);

  int wait_status = 0;
  struct rusage usage {};
  while (::wait4(pid, &wait_status, 0, &usage) < 0) {
    if (errno != EINTR) return Status::Internal(std::string("wait4: ") + std::strerror(errno));
  }
  if (WIFSIGNALED(wait_status)) {
    return Status::Internal("the measurement's process was killed by signal " +
                            std::to_string(WTERMSIG(wait_status)));
  }
  const nlohmann::json message = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0 || !message.is_object()) {
    return Status::Internal("the measurement's process exited with status " +
                            std::to_string(WEXITSTATUS(wait_status)) + " and no result");
  }
  if (!message.contains("value")) {
    int code = message.value("code", 0);
    if (code == static_cast<int>(StatusCode::kOk)) code = static_cast<int>(StatusCode::kInternal);
    return Status(static_cast<StatusCode>(code),
                  message.value("message", std::string("unknown error")));
  }
  ChildOutcome out;
  out.result = message["value"];
  out.peak_resident_bytes = static_cast<int64_t>(usage.ru_maxrss) * 1024;
  out.user_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  out.system_seconds = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  return out;
}

}  // namespace kindred
