#include "client/template_render.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "client_test_util.h"

namespace caravan::client {
namespace {

using testing::TempDir;

const std::map<std::string, std::string> kEnv = {{"NAME", "  World  "}, {"PORT", "8080"}};

std::string render(std::string_view text, std::string_view l = "", std::string_view r = "") {
  Result<std::string> out = render_template_text(text, l, r, kEnv);
  EXPECT_TRUE(out.has_value()) << out.status().to_string();
  return out.has_value() ? *out : "";
}

std::string render_error(std::string_view text) {
  Result<std::string> out = render_template_text(text, "", "", kEnv);
  EXPECT_FALSE(out.has_value()) << text;
  return out.has_value() ? "" : out.error().message();
}

TEST(RenderTemplateText, EnvLiteralsAndPipes) {
  EXPECT_EQ(render("port={{ env \"PORT\" }}\n"), "port=8080\n");
  EXPECT_EQ(render("{{env \"MISSING\"}}|"), "|");
  EXPECT_EQ(render("{{ \"a\\tb\" }} {{ `raw \\n` }}"), "a\tb raw \\n");
  EXPECT_EQ(render("{{ env \"NAME\" | trimSpace | toUpper }}"), "WORLD");
  EXPECT_EQ(render("{{ \"MiXeD\" | toLower }}"), "mixed");
  EXPECT_EQ(render("{{ toUpper (env \"PORT\") }}{{ toUpper \"x\" }}"), "8080X");
  EXPECT_EQ(render("{{ \"}}\" }}"), "}}");
}

TEST(RenderTemplateText, DollarBracesAreNotInterpolated) {
  EXPECT_EQ(render("${NOMAD_PORT_http} {{ env \"PORT\" }}"), "${NOMAD_PORT_http} 8080");
}

TEST(RenderTemplateText, CommentsAndTrimMarkers) {
  EXPECT_EQ(render("a {{/* note */}}b"), "a b");
  EXPECT_EQ(render("a  \n {{- \"x\" -}} \n  b"), "axb");
  EXPECT_EQ(render("a {{- /* gone */ -}} b"), "ab");
}

TEST(RenderTemplateText, CustomDelimiters) {
  EXPECT_EQ(render("{{ keep }} [[ env \"PORT\" ]]", "[[", "]]"), "{{ keep }} 8080");
}

TEST(RenderTemplateText, UnsupportedFunctionsSayWhy) {
  EXPECT_NE(render_error("x\n{{ key \"a/b\" }}")
                .find("line 2: function \"key\" is not supported "
                      "yet (needs the catalog)"),
            std::string::npos);
  EXPECT_NE(render_error("{{ range service \"web\" }}{{ end }}").find("\"range\" actions"),
            std::string::npos);
  EXPECT_NE(render_error("{{ service \"web\" }}").find("needs the catalog"), std::string::npos);
  EXPECT_NE(render_error("{{ secret \"kv/x\" }}").find("needs Vault"), std::string::npos);
  EXPECT_NE(render_error("{{ nomadVar \"x\" }}").find("needs Nomad variables"), std::string::npos);
}

TEST(RenderTemplateText, SyntaxErrorsNameTheLine) {
  EXPECT_NE(render_error("{{ envv \"X\" }}")
                .find("function \"envv\" not defined; did you mean "
                      "\"env\"?"),
            std::string::npos);
  EXPECT_NE(render_error("a\nb\n{{ env \"X\"").find("line 3: unclosed action"), std::string::npos);
  EXPECT_NE(render_error("{{ env }}").find("wrong number of args for env: want 1 got 0"),
            std::string::npos);
  EXPECT_NE(render_error("{{ .Name }}").find("data references"), std::string::npos);
  EXPECT_NE(render_error("{{ \"a\" | \"b\" }}").find("cannot pipe"), std::string::npos);
  EXPECT_NE(render_error("{{ \"abc }}").find("unclosed action"), std::string::npos);
  EXPECT_NE(render_error("{{ }}").find("missing value"), std::string::npos);
  EXPECT_NE(render_error("{{ (env \"X\" }}").find("unclosed left paren"), std::string::npos);
}

TEST(ParseEnvLines, ReadsTheDotenvSubset) {
  auto vars = parse_env_lines(
      "# comment\n\nA=1\nexport B = two words \nC=\"q\\n\\\"x\\\"\" # c\nD='lit $x \\n'\nE=\n");
  ASSERT_TRUE(vars.has_value()) << vars.status().to_string();
  EXPECT_EQ(
      *vars,
      (std::map<std::string, std::string>{
          {"A", "1"}, {"B", "two words"}, {"C", "q\n\"x\""}, {"D", "lit $x \\n"}, {"E", ""}}));
}

TEST(ParseEnvLines, ErrorsNameTheLine) {
  EXPECT_NE(parse_env_lines("A=1\nnot a pair\n").error().message().find("env line 2"),
            std::string::npos);
  EXPECT_NE(parse_env_lines("1A=x").error().message().find("not a valid variable name"),
            std::string::npos);
  EXPECT_NE(parse_env_lines("A=\"open").error().message().find("unterminated"), std::string::npos);
}

class RenderTemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = *AllocDir::under(tmp_.path(), "alloc1");
    ASSERT_TRUE(create_alloc_dir(dir_, {"web"}).is_ok());
  }
  TaskEnv env() const {
    return TaskEnv(dir_, "web", {{"PORT", "8080"}, {"NOMAD_TASK_DIR", "/local"}}, {});
  }
  TempDir tmp_;
  AllocDir dir_ = *AllocDir::under("/unused", "x");
};

TEST_F(RenderTemplatesTest, WritesDataAndSourceTemplatesWithPerms) {
  testing::write_file(dir_.task_local_dir("web") + "/in.tpl", "from source {{ env \"PORT\" }}");
  model::Template inline_tmpl;
  inline_tmpl.embedded_tmpl = "listen {{ env \"PORT\" }}\n";
  inline_tmpl.dest_path = "local/conf/app.conf";
  inline_tmpl.perms = "0600";
  model::Template source_tmpl;
  source_tmpl.source_path = "local/in.tpl";
  source_tmpl.dest_path = "${NOMAD_TASK_DIR}/out.txt";
  Result<RenderedTemplates> out = render_templates({inline_tmpl, source_tmpl}, env());
  ASSERT_TRUE(out.has_value()) << out.status().to_string();
  std::string app = dir_.task_local_dir("web") + "/conf/app.conf";
  EXPECT_EQ(testing::read_file(app), "listen 8080\n");
  struct stat st {};
  ASSERT_EQ(::stat(app.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(testing::read_file(dir_.task_local_dir("web") + "/out.txt"), "from source 8080");
  EXPECT_EQ(out->files.size(), 2u);
  EXPECT_TRUE(out->env.empty());
}

TEST_F(RenderTemplatesTest, EnvTemplatesReturnVariables) {
  model::Template a;
  a.embedded_tmpl = "X=1\nPORT_COPY={{ env \"PORT\" }}\n";
  a.dest_path = "secrets/a.env";
  a.envvars = true;
  model::Template b;
  b.embedded_tmpl = "X=2\n";
  b.dest_path = "secrets/b.env";
  b.envvars = true;
  Result<RenderedTemplates> out = render_templates({a, b}, env());
  ASSERT_TRUE(out.has_value()) << out.status().to_string();
  EXPECT_EQ(out->env, (std::map<std::string, std::string>{{"PORT_COPY", "8080"}, {"X", "2"}}));
}

TEST_F(RenderTemplatesTest, RejectsEscapingPathsAndBadBlocks) {
  model::Template t;
  t.embedded_tmpl = "x";
  t.dest_path = "../../../outside.txt";
  Result<RenderedTemplates> out = render_templates({t}, env());
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.error().message().find("template \"../../../outside.txt\" of task \"web\""),
            std::string::npos);
  EXPECT_NE(out.error().message().find("escapes the allocation directory"), std::string::npos);

  t.dest_path = "local/x";
  t.perms = "rw-r--r--";
  EXPECT_NE(render_templates({t}, env()).error().message().find("octal"), std::string::npos);
  t.perms = "";
  t.embedded_tmpl = "{{ key \"x\" }}";
  EXPECT_NE(render_templates({t}, env()).error().message().find("not supported yet"),
            std::string::npos);
  t.embedded_tmpl = "";
  t.source_path = "local/missing.tpl";
  EXPECT_NE(render_templates({t}, env()).error().message().find("does not exist"),
            std::string::npos);
  t.source_path = "/etc/hostname";
  EXPECT_NE(render_templates({t}, env()).error().message().find("escapes"), std::string::npos);
}

}  // namespace
}  // namespace caravan::client
