#include "client/check_runner.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "core/check.h"

namespace caravan::client {

namespace {

constexpr Duration kDefaultInterval = std::chrono::seconds(10);
constexpr Duration kDefaultTimeout = std::chrono::seconds(10);

}  // namespace

Result<CheckRunnerOptions> check_runner_options(const model::ServiceCheck& check) {
  CheckRunnerOptions options;
  if (check.interval > Duration::zero()) options.interval = check.interval;
  if (check.timeout > Duration::zero()) options.timeout = check.timeout;
  if (!check.initial_status.empty()) {
    Result<CheckStatus> initial = parse_check_status(check.initial_status);
    if (!initial) {
      return invalid_argument("check \"" + check.name +
                              "\": initial_status: " + initial.error().message());
    }
    options.initial_status = *initial;
  }
  options.success_before_passing = check.success_before_passing;
  options.failures_before_critical = check.failures_before_critical;
  options.failures_before_warning = check.failures_before_warning;
  return options;
}

CheckThresholds::CheckThresholds(const CheckRunnerOptions& options)
    : success_before_passing_(std::max(1, options.success_before_passing)),
      failures_before_critical_(std::max(1, options.failures_before_critical)),
      failures_before_warning_(options.failures_before_warning > 0
                                   ? options.failures_before_warning
                                   : std::max(1, options.failures_before_critical)) {
  state_.status = options.initial_status;
}

const CheckState& CheckThresholds::observe(const CheckResult& result) {
  // Consul's StatusHandler: warning counts as a success for the counters.
  if (result.status != CheckStatus::kCritical) {
    ++successes_;
    failures_ = 0;
    if (successes_ >= success_before_passing_) state_ = {result.status, result.output};
    return state_;
  }
  successes_ = 0;
  ++failures_;
  if (failures_ >= failures_before_critical_) {
    state_ = {CheckStatus::kCritical, result.output};
  } else if (failures_ >= failures_before_warning_) {
    state_ = {CheckStatus::kWarning, result.output};
  }
  return state_;
}

CheckRunner::CheckRunner(HealthCheckerPtr checker, CheckRunnerOptions options,
                         ChangeCallback on_change, ProbeCallback on_probe)
    : checker_(std::move(checker)),
      options_([&] {
        if (options.interval <= Duration::zero()) options.interval = kDefaultInterval;
        if (options.timeout <= Duration::zero()) options.timeout = kDefaultTimeout;
        return options;
      }()),
      on_change_(std::move(on_change)),
      on_probe_(std::move(on_probe)),
      cancel_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      thresholds_(options_) {
  CARAVAN_CHECK(checker_ != nullptr);
  CARAVAN_CHECK(cancel_fd_.valid());
  reported_ = thresholds_.state();
}

CheckRunner::~CheckRunner() { stop(); }

void CheckRunner::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void CheckRunner::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      stopping_ = true;
      uint64_t one = 1;
      // Makes the eventfd readable for good: a probe in flight sees it at once.
      [[maybe_unused]] ssize_t n = ::write(cancel_fd_.get(), &one, sizeof one);
    }
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

CheckState CheckRunner::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reported_;
}

int CheckRunner::probes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return probes_;
}

void CheckRunner::run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next = Clock::now() + options_.first_probe_delay;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next, [&] { return stopping_ || Clock::now() >= next; });
      if (stopping_) return;
    }
    Clock::time_point started = Clock::now();
    ProbeContext ctx{started + options_.timeout, cancel_fd_.get()};
    CheckResult result = checker_->probe(ctx);
    bool changed = false;
    CheckState state;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;  // a cancelled probe says nothing about the service
      state = thresholds_.observe(result);
      changed = state != reported_;
      reported_ = state;
      ++probes_;
    }
    if (changed && on_change_) on_change_(state);
    if (on_probe_) on_probe_(state, result);
    // The interval runs from the start of a probe; a probe that took longer than
    // the interval is followed by the next one right away.
    next = std::max(started + options_.interval, Clock::now());
  }
}

}  // namespace caravan::client
