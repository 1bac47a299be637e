#include "client/health_check.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>

#include "unit/client/check_test_util.h"
#include "unit/client/client_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using testing::TestHttpServer;

ProbeContext within(std::chrono::milliseconds timeout, int cancel_fd = -1) {
  return ProbeContext{std::chrono::steady_clock::now() + timeout, cancel_fd};
}

HealthCheckerPtr http_checker(int port, std::string path = "/health") {
  HttpCheckSpec spec;
  spec.address = "127.0.0.1";
  spec.port = port;
  spec.path = std::move(path);
  Result<HealthCheckerPtr> made = make_http_checker(std::move(spec));
  EXPECT_TRUE(made.has_value()) << made.error().message();
  return std::move(made).value();
}

// --- status names -----------------------------------------------------------

TEST(CheckStatus, NamesRoundTrip) {
  for (CheckStatus s : {CheckStatus::kPassing, CheckStatus::kWarning, CheckStatus::kCritical}) {
    Result<CheckStatus> parsed = parse_check_status(check_status_name(s));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, s);
  }
  Result<CheckStatus> bad = parse_check_status("healthy");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("\"healthy\""), std::string::npos);
}

// --- http -------------------------------------------------------------------

TEST(HttpCheck, PassingOn200WithBodyInOutput) {
  TestHttpServer server(TestHttpServer::response(200, "OK", "all good"));
  CheckResult r = http_checker(server.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_EQ(r.output, "HTTP GET http://127.0.0.1:" + std::to_string(server.port()) +
                          "/health: 200 OK Output: all good");
  ASSERT_EQ(server.requests().size(), 1u);
  const std::string req = server.requests()[0];
  EXPECT_EQ(req.rfind("GET /health HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(req.find("\r\nUser-Agent: Caravan Health Check\r\n"), std::string::npos);
}

TEST(HttpCheck, AnyTwoHundredIsPassing) {
  TestHttpServer server("HTTP/1.1 204 No Content\r\n\r\n");
  CheckResult r = http_checker(server.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_EQ(r.output, "HTTP GET http://127.0.0.1:" + std::to_string(server.port()) +
                          "/health: 204 No Content");
}

TEST(HttpCheck, CriticalOn503NamingTheStatus) {
  TestHttpServer server(TestHttpServer::response(503, "Service Unavailable", ""));
  CheckResult r = http_checker(server.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_EQ(r.output, "HTTP GET http://127.0.0.1:" + std::to_string(server.port()) +
                          "/health: 503 Service Unavailable");
}

TEST(HttpCheck, CriticalOnRedirectAndClientError) {
  TestHttpServer moved(TestHttpServer::response(301, "Moved Permanently", ""));
  EXPECT_EQ(http_checker(moved.port())->probe(within(5s)).status, CheckStatus::kCritical);
  TestHttpServer missing(TestHttpServer::response(404, "Not Found", "no such page"));
  CheckResult r = http_checker(missing.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find(": 404 Not Found Output: no such page"), std::string::npos) << r.output;
}

TEST(HttpCheck, WarningOn429) {
  TestHttpServer server(TestHttpServer::response(429, "Too Many Requests", "slow down"));
  CheckResult r = http_checker(server.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kWarning);
  EXPECT_NE(r.output.find("429 Too Many Requests"), std::string::npos) << r.output;
}

TEST(HttpCheck, ReadsAChunkedBodyAndACloseDelimitedOne) {
  TestHttpServer chunked(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n");
  CheckResult r = http_checker(chunked.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_NE(r.output.find("200 OK Output: wikipedia"), std::string::npos) << r.output;

  TestHttpServer plain("HTTP/1.0 200 OK\r\n\r\nuntil close");
  r = http_checker(plain.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_NE(r.output.find("200 OK Output: until close"), std::string::npos) << r.output;
}

TEST(HttpCheck, OutputKeepsOnlyTheFirstFourKiBOfTheBody) {
  TestHttpServer server(
      TestHttpServer::response(500, "Internal Server Error", std::string(100 * 1024, 'x')));
  CheckResult r = http_checker(server.port())->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  size_t at = r.output.find(" Output: ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(r.output.size() - at - 9, 4096u);
}

TEST(HttpCheck, CriticalWhenTheServerDoesNotAnswerInTime) {
  TestHttpServer server(TestHttpServer::response(200, "OK", ""));
  server.set_hang(true);
  auto started = std::chrono::steady_clock::now();
  CheckResult r = http_checker(server.port())->probe(within(300ms));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("timed out after 300ms waiting for the response"), std::string::npos)
      << r.output;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 5s);
}

TEST(HttpCheck, CriticalWhenNothingListens) {
  int port = testing::closed_port();
  CheckResult r = http_checker(port)->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_EQ(r.output,
            "HTTP GET http://127.0.0.1:" + std::to_string(port) + "/health: connection refused");
}

TEST(HttpCheck, SendsTheConfiguredMethodHeadersAndBody) {
  TestHttpServer server(TestHttpServer::response(200, "OK", ""));
  HttpCheckSpec spec;
  spec.address = "127.0.0.1";
  spec.port = server.port();
  spec.path = "/v1/ping?deep=1";
  spec.method = "POST";
  spec.headers = {{"X-Token", {"abc"}}, {"Accept", {"application/json"}}, {"X-Multi", {"a", "b"}}};
  spec.body = "{\"ping\":true}";
  Result<HealthCheckerPtr> checker = make_http_checker(spec);
  ASSERT_TRUE(checker.has_value()) << checker.error().message();
  CheckResult r = (*checker)->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing) << r.output;
  EXPECT_EQ(r.output.rfind("HTTP POST http://127.0.0.1:", 0), 0u) << r.output;
  ASSERT_EQ(server.requests().size(), 1u);
  const std::string req = server.requests()[0];
  EXPECT_EQ(req.rfind("POST /v1/ping?deep=1 HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("\r\nX-Token: abc\r\n"), std::string::npos) << req;
  EXPECT_NE(req.find("\r\nX-Multi: a\r\nX-Multi: b\r\n"), std::string::npos) << req;
  EXPECT_NE(req.find("\r\nAccept: application/json\r\n"), std::string::npos) << req;
  EXPECT_EQ(req.find("text/plain, text/*"), std::string::npos) << req;
  EXPECT_NE(req.find("\r\nContent-Length: 13\r\n"), std::string::npos) << req;
  EXPECT_EQ(req.substr(req.size() - 13), "{\"ping\":true}");
}

TEST(HttpCheck, ReturnsAtOnceWhenCancelled) {
  TestHttpServer server(TestHttpServer::response(200, "OK", ""));
  server.set_hang(true);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  HealthCheckerPtr checker = http_checker(server.port());
  std::thread canceller([&] {
    testing::wait_for([&] { return server.connections() > 0; });
    char c = 'x';
    [[maybe_unused]] ssize_t n = ::write(fds[1], &c, 1);
  });
  auto started = std::chrono::steady_clock::now();
  CheckResult r = checker->probe(within(30s, fds[0]));
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("cancelled"), std::string::npos) << r.output;
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(HttpCheck, RejectsBadSpecs) {
  HttpCheckSpec spec;
  spec.address = "127.0.0.1";
  spec.port = 0;
  Result<HealthCheckerPtr> no_port = make_http_checker(spec);
  ASSERT_FALSE(no_port.has_value());
  EXPECT_NE(no_port.error().message().find("port 0"), std::string::npos);
  spec.port = 80;
  spec.protocol = "ftp";
  EXPECT_FALSE(make_http_checker(spec).has_value());
  spec.protocol = "http";
  spec.headers = {{"X-Evil", {"a\r\nInjected: 1"}}};
  EXPECT_FALSE(make_http_checker(spec).has_value());
}

// --- tcp --------------------------------------------------------------------

TEST(TcpCheck, PassingWhenAListenerAccepts) {
  int port = 0;
  int fd = testing::listen_loopback(&port);
  ASSERT_GE(fd, 0);
  Result<HealthCheckerPtr> checker = make_tcp_checker("127.0.0.1", port);
  ASSERT_TRUE(checker.has_value());
  CheckResult r = (*checker)->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_EQ(r.output, "TCP connect 127.0.0.1:" + std::to_string(port) + ": Success");
  ::close(fd);
}

TEST(TcpCheck, CriticalWhenThePortIsClosed) {
  int port = testing::closed_port();
  Result<HealthCheckerPtr> checker = make_tcp_checker("127.0.0.1", port);
  ASSERT_TRUE(checker.has_value());
  CheckResult r = (*checker)->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_EQ(r.output, "TCP connect 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(TcpCheck, ResolvesHostNames) {
  int port = 0;
  int fd = testing::listen_loopback(&port);
  Result<HealthCheckerPtr> checker = make_tcp_checker("localhost", port);
  ASSERT_TRUE(checker.has_value());
  EXPECT_EQ((*checker)->probe(within(5s)).status, CheckStatus::kPassing);
  ::close(fd);
  Result<HealthCheckerPtr> nowhere = make_tcp_checker("no-such-host.invalid", 80);
  ASSERT_TRUE(nowhere.has_value());
  CheckResult r = (*nowhere)->probe(within(5s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("cannot resolve no-such-host.invalid"), std::string::npos) << r.output;
}

// --- script -----------------------------------------------------------------

CheckResult run_script(const std::string& script, std::chrono::milliseconds timeout = 10s,
                       std::map<std::string, std::string> env = {}, std::string work_dir = "") {
  ScriptCheckSpec spec;
  spec.command = "/bin/sh";
  spec.args = {"-c", script};
  spec.env = std::move(env);
  spec.work_dir = std::move(work_dir);
  Result<HealthCheckerPtr> checker = make_script_checker(std::move(spec));
  EXPECT_TRUE(checker.has_value());
  return (*checker)->probe(within(timeout));
}

TEST(ScriptCheck, ExitCodesMapToStatuses) {
  CheckResult ok = run_script("echo fine; exit 0");
  EXPECT_EQ(ok.status, CheckStatus::kPassing);
  EXPECT_EQ(ok.output, "fine\n");
  CheckResult warn = run_script("echo degraded >&2; exit 1");
  EXPECT_EQ(warn.status, CheckStatus::kWarning);
  EXPECT_EQ(warn.output, "degraded\n");
  CheckResult crit = run_script("echo down; exit 2");
  EXPECT_EQ(crit.status, CheckStatus::kCritical);
  EXPECT_EQ(crit.output, "down\n");
}

TEST(ScriptCheck, OutputInterleavesStdoutAndStderrAndIsCapped) {
  CheckResult r = run_script("echo one; echo two >&2; echo three");
  EXPECT_EQ(r.output, "one\ntwo\nthree\n");
  CheckResult big = run_script("head -c 100000 /dev/zero | tr '\\0' y; exit 0");
  EXPECT_EQ(big.status, CheckStatus::kPassing);
  EXPECT_EQ(big.output, std::string(4096, 'y'));
}

TEST(ScriptCheck, RunsWithTheGivenEnvironmentAndDirectoryOnly) {
  testing::TempDir dir;
  CheckResult r = run_script("echo \"$NOMAD_ALLOC_ID|$HOME_MADE|${HOSTNAME_X:-unset}\"; pwd", 10s,
                             {{"NOMAD_ALLOC_ID", "a1b2"}, {"HOME_MADE", "yes"}}, dir.path());
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  std::string real = std::filesystem::canonical(dir.path()).string();
  EXPECT_EQ(r.output, "a1b2|yes|unset\n" + real + "\n");
  // Nothing of the agent's own environment leaks in.
  ::setenv("CARAVAN_CHECK_TEST_LEAK", "leaked", 1);
  CheckResult env = run_script("echo \"[${CARAVAN_CHECK_TEST_LEAK}]\"");
  EXPECT_EQ(env.output, "[]\n");
  ::unsetenv("CARAVAN_CHECK_TEST_LEAK");
}

TEST(ScriptCheck, LooksTheCommandUpInTheTasksPath) {
  testing::TempDir dir;
  testing::write_file(dir.path() + "/bin/probe-me", "#!/bin/sh\necho found me\nexit 1\n");
  ::chmod((dir.path() + "/bin/probe-me").c_str(), 0755);
  ScriptCheckSpec spec;
  spec.command = "probe-me";
  spec.env = {{"PATH", dir.path() + "/bin:/usr/bin:/bin"}};
  Result<HealthCheckerPtr> checker = make_script_checker(spec);
  ASSERT_TRUE(checker.has_value());
  CheckResult r = (*checker)->probe(within(10s));
  EXPECT_EQ(r.status, CheckStatus::kWarning);
  EXPECT_EQ(r.output, "found me\n");

  spec.command = "no-such-probe";
  checker = make_script_checker(spec);
  ASSERT_TRUE(checker.has_value());
  r = (*checker)->probe(within(10s));
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("cannot run no-such-probe"), std::string::npos) << r.output;
}

TEST(ScriptCheck, KillsTheWholeProcessGroupAtTheTimeout) {
  testing::TempDir dir;
  std::string pids = dir.path() + "/pids";
  auto started = std::chrono::steady_clock::now();
  // The script and a background child of it both record their pids, then hang.
  CheckResult r = run_script(
      "echo started; sleep 60 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait", 300ms);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("timed out after 300ms running /bin/sh"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("started"), std::string::npos) << r.output;
  EXPECT_LT(took, 5s);
  std::istringstream in(testing::read_file(pids));
  int pid = 0;
  int count = 0;
  while (in >> pid) {
    ++count;
    EXPECT_TRUE(testing::wait_for([&] { return testing::process_ended(pid); })) << pid;
  }
  EXPECT_EQ(count, 2);
}

TEST(ScriptCheck, MissingWorkingDirectoryIsNamed) {
  CheckResult r = run_script("exit 0", 10s, {}, "/nonexistent/caravan-check-dir");
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_EQ(
      r.output,
      "cannot run /bin/sh: the working directory /nonexistent/caravan-check-dir does not exist");
}

TEST(ScriptCheck, SignalledScriptIsCritical) {
  CheckResult r = run_script("kill -TERM $$");
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("killed by signal 15"), std::string::npos) << r.output;
}

// --- from a job's check block ------------------------------------------------

TEST(MakeHealthChecker, BuildsEachSupportedType) {
  TestHttpServer server(TestHttpServer::response(200, "OK", ""));
  model::ServiceCheck check;
  check.name = "alive";
  check.type = "http";
  check.path = "ready";
  Result<HealthCheckerPtr> http = make_health_checker(check, {"127.0.0.1", server.port()}, {});
  ASSERT_TRUE(http.has_value()) << http.error().message();
  EXPECT_EQ((*http)->probe(within(5s)).status, CheckStatus::kPassing);
  EXPECT_EQ(server.requests().at(0).rfind("GET /ready HTTP/1.1", 0), 0u);

  check.type = "tcp";
  Result<HealthCheckerPtr> tcp = make_health_checker(check, {"127.0.0.1", server.port()}, {});
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ((*tcp)->describe(), "tcp 127.0.0.1:" + std::to_string(server.port()));

  check.type = "script";
  check.command = "/bin/sh";
  check.args = {"-c", "exit \"$CODE\""};
  Result<HealthCheckerPtr> script = make_health_checker(check, {}, {{{"CODE", "1"}}, ""});
  ASSERT_TRUE(script.has_value());
  EXPECT_EQ((*script)->probe(within(5s)).status, CheckStatus::kWarning);

  check.type = "grpc";
  Result<HealthCheckerPtr> grpc = make_health_checker(check, {"127.0.0.1", 1}, {});
  ASSERT_FALSE(grpc.has_value());
  EXPECT_NE(grpc.error().message().find("check \"alive\": grpc"), std::string::npos);

  check.type = "http";
  Result<HealthCheckerPtr> no_port = make_health_checker(check, {"127.0.0.1", 0}, {});
  ASSERT_FALSE(no_port.has_value());
  EXPECT_NE(no_port.error().message().find("check \"alive\""), std::string::npos);
}

}  // namespace
}  // namespace caravan::client
