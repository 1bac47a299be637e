// Diagnostics::format: file:line:col lines with a source snippet, but only for
// diagnostics that point into the text given.
#include "hcl/diagnostic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caravan::hcl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

SourceRange at(const std::string& file, int line, int column) {
  SourceRange r;
  r.filename = std::make_shared<const std::string>(file);
  r.start = SourcePos{line, column, 0};
  r.end = SourcePos{line, column + 1, 1};
  return r;
}

TEST(Diagnostics, SnippetAndCaretForTheFileGiven) {
  Diagnostics diags;
  diags.error(at("job.hcl", 2, 3), "Unsupported argument", "An argument named \"x\" is not expected here.");
  std::string source = "job \"a\" {\n  x = 1\n}\n";
  std::string text = diags.format(&source, "job.hcl");
  EXPECT_THAT(text, HasSubstr("job.hcl:2:3: error: Unsupported argument"));
  EXPECT_THAT(text, HasSubstr("     2 |   x = 1\n"));
  EXPECT_THAT(text, HasSubstr("       |   ^\n"));
}

TEST(Diagnostics, NoSnippetFromAnotherFile) {
  Diagnostics diags;
  diags.error(at("<value for var.b>", 1, 1), "Undeclared variable", "A variable named \"b\" was assigned.");
  std::string source = "job \"a\" {\n}\n";
  std::string text = diags.format(&source, "job.hcl");
  EXPECT_THAT(text, HasSubstr("<value for var.b>:1:1: error: Undeclared variable"));
  EXPECT_THAT(text, Not(HasSubstr("job \"a\"")));
}

}  // namespace
}  // namespace caravan::hcl
