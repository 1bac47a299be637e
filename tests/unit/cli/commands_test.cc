#include "cli/commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "unit/cli/command_test_util.h"

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

TEST(Commands, EveryCommandAnswersHelpWithItsUsage) {
  for (const Command& c : all_commands()) {
    std::vector<std::string> args;
    std::istringstream words{std::string(c.path)};
    for (std::string w; words >> w;) args.push_back(w);
    for (const char* spelling : {"-h", "--help"}) {
      std::vector<std::string> with_help = args;
      with_help.push_back(spelling);
      Captured r = run(with_help);
      EXPECT_EQ(r.code, 0) << c.path << " " << spelling;
      EXPECT_THAT(r.out, HasSubstr("Usage: caravan")) << c.path;
    }
  }
}

TEST(Commands, PathsAreUniqueAndDocumented) {
  std::set<std::string_view> seen;
  for (const Command& c : all_commands()) {
    EXPECT_TRUE(seen.insert(c.path).second) << "duplicate command " << c.path;
    EXPECT_FALSE(c.synopsis.empty()) << c.path;
    EXPECT_THAT(std::string(c.help), HasSubstr("Usage: caravan")) << c.path;
  }
}

TEST(Commands, GroupWordListsItsSubcommands) {
  Captured r = run({"job"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("job validate"));
  EXPECT_THAT(r.err, HasSubstr("job init"));

  Captured unknown = run({"job", "frobnicate"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("Unknown command 'caravan job frobnicate'"));
}

TEST(Commands, UnknownFlagIsAnErrorNamingIt) {
  Captured r = run({"job", "validate", "-detatch", "x.hcl"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("flag provided but not defined: -detatch"));
}

}  // namespace
}  // namespace caravan::cli
