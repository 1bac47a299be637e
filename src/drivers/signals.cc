#include "drivers/signals.h"

#include <signal.h>

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace caravan::drivers {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 30> kSignals = {{
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"SYS", SIGSYS},
}};

}  // namespace

Result<int> parse_signal(std::string_view name) {
  if (name.empty()) {
    return SIGTERM;
  }
  int number = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec == std::errc() && end == name.data() + name.size()) {
    if (number > 0 && number < NSIG) {
      return number;
    }
    return invalid_argument("signal number " + std::string(name) + " is out of range 1.." +
                            std::to_string(NSIG - 1));
  }
  std::string upper;
  for (char c : name) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string_view bare = upper;
  if (bare.starts_with("SIG")) {
    bare.remove_prefix(3);
  }
  for (const auto& [n, sig] : kSignals) {
    if (n == bare) {
      return sig;
    }
  }
  return invalid_argument("unknown signal \"" + std::string(name) +
                          "\": use a name such as \"SIGTERM\", \"SIGINT\" or \"SIGUSR1\"");
}

std::string signal_name(int sig) {
  for (const auto& [n, number] : kSignals) {
    if (number == sig) {
      return "SIG" + std::string(n);
    }
  }
  return "signal " + std::to_string(sig);
}

}  // namespace caravan::drivers
