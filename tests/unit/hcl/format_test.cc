#include "hcl/format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace caravan::hcl {
namespace {

std::string fmt_ok(const std::string& src) {
  Diagnostics diags;
  std::string out = format_source(src, "f.hcl", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format(&src);
  Diagnostics again;
  EXPECT_EQ(format_source(out, "f.hcl", again), out) << "not idempotent for:\n" << src;
  return out;
}

TEST(Format, IndentsBlocksByTwoSpaces) {
  EXPECT_EQ(fmt_ok("job \"x\" {\ngroup \"g\" {\n        count = 1\n}\n}\n"),
            "job \"x\" {\n  group \"g\" {\n    count = 1\n  }\n}\n");
}

TEST(Format, NormalizesSpacingAroundOperators) {
  EXPECT_EQ(fmt_ok("a=1+2*3\nb   =   x==y&&!z\nc=-1\nd = a -1\ne = f( 1 ,2 )\n"),
            "a = 1 + 2 * 3\n"
            "b = x == y && !z\n"
            "c = -1\n"
            "d = a - 1\n"
            "e = f(1, 2)\n");
}

TEST(Format, AlignsEqualsOfConsecutiveAttributes) {
  EXPECT_EQ(fmt_ok("a = 1\nlong_name = 2\nbb = 3\n\nc = 4\n"),
            "a         = 1\nlong_name = 2\nbb        = 3\n\nc = 4\n");
}

TEST(Format, MultiLineAttributeBreaksAlignment) {
  EXPECT_EQ(fmt_ok("a = 1\nbbb = 2\ntags = {\nx = 1\nyyy = 2\n}\nc = 3\n"),
            "a   = 1\n"
            "bbb = 2\n"
            "tags = {\n"
            "  x   = 1\n"
            "  yyy = 2\n"
            "}\n"
            "c = 3\n");
}

TEST(Format, CollapsesBlankLinesAndTrimsTrailingWhitespace) {
  EXPECT_EQ(fmt_ok("\n\n\na = 1   \n\n\n\nb = 2\t\n\n\n"), "a = 1\n\nb = 2\n");
}

TEST(Format, AddsFinalNewline) { EXPECT_EQ(fmt_ok("a = 1"), "a = 1\n"); }

TEST(Format, EmptyInputStaysEmpty) { EXPECT_EQ(fmt_ok(""), ""); }

TEST(Format, KeepsCommentsAndAlignsTrailingOnes) {
  EXPECT_EQ(fmt_ok("# header\njob \"x\" { # the job\n  // inner\ncount = 1 # one\nname = \"long\" "
                   "# two\n/* block */\n}\n"),
            "# header\n"
            "job \"x\" { # the job\n"
            "  // inner\n"
            "  count = 1      # one\n"
            "  name  = \"long\" # two\n"
            "  /* block */\n"
            "}\n");
}

TEST(Format, IndentsTuplesObjectsAndCalls) {
  EXPECT_EQ(fmt_ok("a = [\n\"x\",\n\"y\",\n]\nb = {\nk = [\n1,\n]\n}\nc = f(\n1,\n)\n"),
            "a = [\n  \"x\",\n  \"y\",\n]\nb = {\n  k = [\n    1,\n  ]\n}\nc = f(\n  1,\n)\n");
}

TEST(Format, SeveralOpenersOnOneLineIndentOnce) {
  EXPECT_EQ(fmt_ok("a = [{\nb = 1\n}]\n"), "a = [{\n  b = 1\n}]\n");
}

TEST(Format, SpacesInsideBracesButNotBrackets) {
  EXPECT_EQ(fmt_ok("a = {b=1}\nc = [ 1, 2 ]\nd {}\ne = {}\nf = x[ 0 ]\n"),
            "a = { b = 1 }\nc = [1, 2]\nd {}\ne = {}\nf = x[0]\n");
}

TEST(Format, TraversalsSplatsAndForExpressions) {
  EXPECT_EQ(fmt_ok("a = var . x [ 0 ] . y\nb = s [ * ] . id\nc = s . * . id\nd = [ for x in xs : x "
                   "if x > 1 ]\ne = { for k , v in m : k => v ... }\nf = g(xs ...)\n"),
            "a = var.x[0].y\n"
            "b = s[*].id\n"
            "c = s.*.id\n"
            "d = [for x in xs : x if x > 1]\n"
            "e = { for k, v in m : k => v... }\n"
            "f = g(xs...)\n");
}

TEST(Format, ForOverTupleLiteralKeepsSpaceAfterIn) {
  EXPECT_EQ(fmt_ok("a = [for x in [1, 2] : x]\n"), "a = [for x in [1, 2] : x]\n");
}

TEST(Format, LeavesStringAndTemplateTextAlone) {
  EXPECT_EQ(fmt_ok("a = \"  spaced   ${ var.x }  text\"\nb = \"%{if c}y%{endif}\"\n"),
            "a = \"  spaced   ${var.x}  text\"\nb = \"%{if c}y%{endif}\"\n");
}

TEST(Format, KeepsHeredocContentVerbatim) {
  std::string src =
      "task \"t\" {\n"
      "template {\n"
      "data = <<EOF\n"
      "  keep   this   \n"
      "{{ key \"x\" }}\n"
      "EOF\n"
      "destination = \"local/x\"\n"
      "}\n"
      "}\n";
  EXPECT_EQ(fmt_ok(src),
            "task \"t\" {\n"
            "  template {\n"
            "    data = <<EOF\n"
            "  keep   this   \n"
            "{{ key \"x\" }}\n"
            "EOF\n"
            "    destination = \"local/x\"\n"
            "  }\n"
            "}\n");
}

TEST(Format, KeepsFlushHeredocMarkerIndentation) {
  std::string src = "a {\n  b = <<-EOT\n    x\n    EOT\n}\n";
  EXPECT_EQ(fmt_ok(src), src);
}

TEST(Format, SingleLineBlocks) { EXPECT_EQ(fmt_ok("a {b=1}\n"), "a { b = 1 }\n"); }

TEST(Format, ConditionalsAndParens) {
  EXPECT_EQ(fmt_ok("a = (x?1:2)\nb = ( 1 + 2 ) * -3\n"), "a = (x ? 1 : 2)\nb = (1 + 2) * -3\n");
}

TEST(Format, ReturnsSourceUnchangedOnSyntaxError) {
  Diagnostics diags;
  std::string src = "a = {\n  b = \n";
  EXPECT_EQ(format_source(src, "bad.hcl", diags), src);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.items()[0].subject.file(), "bad.hcl");
}

TEST(Format, IsIdempotentOnARealisticJob) {
  std::string src = R"(
variable "image" {
  type = string
  default = "nginx:1.25"
}

job   "web"   {
  datacenters = ["dc1"]
    type = "service"
  group "frontend" {
    count = var.count   # replicas
    network {
      port "http" { to = 8080 }
    }
    task "nginx" {
      driver = "docker"
      config {
        image = var.image
        ports = ["http"]
        args = [
          "-c", "/local/nginx.conf",
        ]
      }
      env {
        PORT = "${NOMAD_PORT_http}"
        NAME= upper(local.name)
      }
      template {
        data = <<-EOF
          server {
            listen {{ env "NOMAD_PORT_http" }};
          }
        EOF
        destination = "local/nginx.conf"
      }
      resources {
        cpu = 100
        memory = 128
      }
    }
  }
}
)";
  std::string out = fmt_ok(src);
  EXPECT_THAT(out, ::testing::HasSubstr("      driver = \"docker\"\n"));
  EXPECT_THAT(out,
              ::testing::HasSubstr(
                  "        PORT = \"${NOMAD_PORT_http}\"\n        NAME = upper(local.name)\n"));
  EXPECT_THAT(out,
              ::testing::HasSubstr("  datacenters = [\"dc1\"]\n  type        = \"service\"\n"));
  EXPECT_THAT(out, ::testing::HasSubstr("    count = var.count # replicas\n"));
  EXPECT_THAT(out, ::testing::HasSubstr("        cpu    = 100\n        memory = 128\n"));
  EXPECT_EQ(out.substr(0, 9), "variable ");
}

}  // namespace
}  // namespace caravan::hcl
