// The API commands of the CLI (job run/plan/status/stop/..., alloc, node, eval,
// status, agent-info) as a user runs them before any agent is up: their help,
// usage errors, exit codes and the connection error that names the address.
// Tests against a running `caravan agent -dev` come with the agent.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

// A loopback port nothing listens on: bound once to learn a free number, then closed.
int unused_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string dead_address() { return "http://127.0.0.1:" + std::to_string(unused_port()); }

std::vector<std::string> words(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t space = path.find(' ', start);
    out.push_back(path.substr(start, space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

const char* const kApiCommands[] = {
    "job run",     "job plan",     "job status", "job stop",   "job history",
    "job allocs",  "alloc status", "alloc logs", "alloc stop", "alloc restart",
    "node status", "eval status",  "eval list",  "status",     "agent-info",
    "system gc",
};

const std::string kJob =
    "job \"web\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"raw_exec\"\n"
    "      config { command = \"true\" }\n    }\n  }\n}\n";

TEST(CliApiCommands, EveryCommandPrintsItsUsageForBothHelpSpellings) {
  for (const char* path : kApiCommands) {
    for (const char* help : {"-h", "--help"}) {
      std::vector<std::string> args = words(path);
      args.push_back(help);
      ProcessResult r = run_caravan(args);
      EXPECT_EQ(r.exit_code, 0) << path << " " << help << "\n" << r.err;
      EXPECT_THAT(r.out, HasSubstr("Usage: caravan " + std::string(path))) << path;
      EXPECT_THAT(r.out, HasSubstr("-address")) << path;
    }
  }
}

TEST(CliApiCommands, NoAgentGivesAConnectionErrorNamingTheAddressAndTheFix) {
  const std::string address = dead_address();
  const std::vector<std::vector<std::string>> invocations = {
      {"job", "status"},
      {"job", "status", "web"},
      {"job", "stop", "web"},
      {"job", "history", "web"},
      {"job", "allocs", "web"},
      {"alloc", "status", "8ba85cef"},
      {"alloc", "logs", "8ba85cef"},
      {"alloc", "stop", "8ba85cef"},
      {"alloc", "restart", "8ba85cef"},
      {"node", "status"},
      {"node", "status", "-self"},
      {"eval", "status", "0d14c3d2"},
      {"eval", "list"},
      {"status"},
      {"status", "web"},
      {"agent-info"},
  };
  for (std::vector<std::string> args : invocations) {
    args.insert(
        args.begin() + (args.size() > 1 && args[0] != "status" && args[0] != "agent-info" ? 2 : 1),
        "-address=" + address);
    std::string label;
    for (const auto& a : args) label += a + " ";
    ProcessResult r = run_caravan(args);
    EXPECT_EQ(r.exit_code, 1) << label << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("Error connecting to agent at " + address)) << label;
    EXPECT_THAT(r.err, HasSubstr("caravan agent -dev")) << label;
    EXPECT_EQ(r.out, "") << label;
  }
}

TEST(CliApiCommands, JobRunParsesLocallyThenFailsToConnect) {
  TempDir dir;
  dir.write("web.nomad.hcl", kJob);
  ProcessResult r =
      run_caravan({"job", "run", "--address", dead_address(), dir.file("web.nomad.hcl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Error connecting to agent at http://127.0.0.1:"));
}

TEST(CliApiCommands, JobRunReportsABadJobFileBeforeContactingTheAgent) {
  TempDir dir;
  dir.write("bad.nomad.hcl", "job \"web\" {\n  group \"g\" {\n    cont = 3\n  }\n}\n");
  ProcessResult r =
      run_caravan({"job", "run", "-address", dead_address(), dir.file("bad.nomad.hcl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.nomad.hcl:3:5"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("Error connecting")));
}

TEST(CliApiCommands, JobPlanExitsWith255OnErrors) {
  TempDir dir;
  dir.write("web.nomad.hcl", kJob);
  ProcessResult r =
      run_caravan({"job", "plan", "-address", dead_address(), dir.file("web.nomad.hcl")});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_THAT(r.err, HasSubstr("Error connecting to agent at"));
  EXPECT_EQ(run_caravan({"job", "plan"}).exit_code, 255);
}

TEST(CliApiCommands, TheAddressComesFromCaravanAddrOrNomadAddr) {
  const std::string address = dead_address();
  for (const char* variable : {"CARAVAN_ADDR", "NOMAD_ADDR"}) {
    ProcessResult r = run_process(
        {"/usr/bin/env", std::string(variable) + "=" + address, CARAVAN_BINARY, "job", "status"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("Error connecting to agent at " + address)) << variable;
  }
  // The flag wins over the environment.
  const std::string flag_address = dead_address();
  ProcessResult r = run_process({"/usr/bin/env", "CARAVAN_ADDR=" + address, CARAVAN_BINARY, "job",
                                 "status", "-address=" + flag_address});
  EXPECT_THAT(r.err, HasSubstr("Error connecting to agent at " + flag_address));
}

TEST(CliApiCommands, BadUsagePrintsTheUsageAndExits1) {
  const std::vector<std::vector<std::string>> invocations = {
      {"job", "status", "a", "b"},
      {"job", "stop"},
      {"job", "run"},
      {"alloc", "logs"},
      {"alloc", "status"},
      {"eval", "status"},
      {"job", "status", "-frobnicate"},
      {"job", "run", "-check-index=x", "f.hcl"},
      {"alloc", "logs", "-n", "3", "-c", "4", "8ba85cef"},
  };
  for (const auto& args : invocations) {
    std::string label;
    for (const auto& a : args) label += a + " ";
    ProcessResult r = run_caravan(args);
    EXPECT_EQ(r.exit_code, 1) << label << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr("Usage: caravan")) << label;
  }
}

TEST(CliApiCommands, ShortPrefixesAreRejectedBeforeAnyQuery) {
  ProcessResult r = run_caravan({"alloc", "status", "-address", dead_address(), "8"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Alloc ID must contain at least two characters."));
}

}  // namespace
}  // namespace caravan::testing
