#include "cli/flags.h"

#include <gtest/gtest.h>

namespace caravan::cli {
namespace {

struct Parsed {
  bool detach = false;
  std::string output;
  int count = 0;
  std::vector<std::string> vars;
};

FlagSet make_flags(Parsed& p) {
  FlagSet f;
  f.add_bool("detach", &p.detach, "d");
  f.add_string("output", &p.output, "o");
  f.add_int("count", &p.count, "c");
  f.add_string_list("var", &p.vars, "v");
  return f;
}

TEST(FlagSet, AcceptsOneOrTwoDashesAndBothValueForms) {
  Parsed p;
  FlagSet f = make_flags(p);
  auto rest = f.parse({"--detach", "-output=x.json", "--count", "3", "-var", "a=1", "--var=b=2",
                       "job.hcl"});
  ASSERT_TRUE(rest) << rest.error().message();
  EXPECT_TRUE(p.detach);
  EXPECT_EQ(p.output, "x.json");
  EXPECT_EQ(p.count, 3);
  EXPECT_EQ(p.vars, (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(*rest, (std::vector<std::string>{"job.hcl"}));
}

TEST(FlagSet, StopsAtTheFirstPositionalOrDoubleDash) {
  Parsed p;
  FlagSet f = make_flags(p);
  auto rest = f.parse({"file.hcl", "-detach"});
  ASSERT_TRUE(rest);
  EXPECT_FALSE(p.detach);
  EXPECT_EQ(*rest, (std::vector<std::string>{"file.hcl", "-detach"}));

  Parsed q;
  FlagSet g = make_flags(q);
  auto rest2 = g.parse({"--", "-detach"});
  ASSERT_TRUE(rest2);
  EXPECT_EQ(*rest2, (std::vector<std::string>{"-detach"}));
}

TEST(FlagSet, BooleanTakesAnExplicitValueOnlyWithEquals) {
  Parsed p;
  FlagSet f = make_flags(p);
  p.detach = true;
  ASSERT_TRUE(f.parse({"-detach=false"}));
  EXPECT_FALSE(p.detach);
  Parsed q;
  FlagSet g = make_flags(q);
  auto bad = g.parse({"-detach=maybe"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("-detach"), std::string::npos);
}

TEST(FlagSet, ReportsUnknownFlagsAndMissingValues) {
  Parsed p;
  FlagSet f = make_flags(p);
  auto unknown = f.parse({"-detatch"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(), "flag provided but not defined: -detatch");

  FlagSet g = make_flags(p);
  auto missing = g.parse({"-output"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "flag needs an argument: -output");

  FlagSet h = make_flags(p);
  auto not_number = h.parse({"-count=three"});
  ASSERT_FALSE(not_number);
  EXPECT_NE(not_number.error().message().find("whole number"), std::string::npos);
}

TEST(FlagSet, RecognisesEveryHelpSpelling) {
  for (const char* spelling : {"-h", "-help", "--help", "--h"}) {
    Parsed p;
    FlagSet f = make_flags(p);
    ASSERT_TRUE(f.parse({spelling}));
    EXPECT_TRUE(f.help_requested()) << spelling;
  }
}

}  // namespace
}  // namespace caravan::cli
