#include "client/artifact.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "client/internal/digest.h"
#include "client_test_util.h"

namespace caravan::client {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// A one-thread HTTP/1.1 server on 127.0.0.1 serving canned responses by path.
class TestHttpServer {
 public:
  struct Reply {
    int status = 200;
    std::string body;
    std::string location;
    bool chunked = false;
  };

  TestHttpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TestHttpServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  void add(const std::string& path, Reply reply) {
    std::lock_guard lock(mu_);
    replies_[path] = std::move(reply);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string last_request() {
    std::lock_guard lock(mu_);
    return last_request_;
  }

 private:
  void serve() {
    while (true) {
      int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(conn, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      std::string path = request.substr(4, request.find(' ', 4) - 4);
      Reply reply;
      {
        std::lock_guard lock(mu_);
        last_request_ = request;
        auto it = replies_.find(path);
        reply = it != replies_.end() ? it->second : Reply{404, "not found", "", false};
      }
      std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " Status\r\n";
      if (!reply.location.empty()) head += "Location: " + reply.location + "\r\n";
      std::string body = reply.body;
      if (reply.chunked) {
        head += "Transfer-Encoding: chunked\r\n";
        std::string chunked;
        for (size_t i = 0; i < body.size(); i += 7) {
          std::string piece = body.substr(i, 7);
          char size[16];
          std::snprintf(size, sizeof size, "%zx", piece.size());
          chunked += std::string(size) + "\r\n" + piece + "\r\n";
        }
        body = chunked + "0\r\n\r\n";
      } else {
        head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
      }
      std::string out = head + "Connection: close\r\n\r\n" + body;
      size_t sent = 0;
      while (sent < out.size()) {
        ssize_t n = ::send(conn, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      ::close(conn);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::string last_request_;
};

int run(const std::string& command) { return std::system(command.c_str()); }

class ArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("http_proxy");
    ::unsetenv("HTTP_PROXY");
    ::unsetenv("all_proxy");
    dir_ = *AllocDir::under(tmp_.path(), "alloc1");
    ASSERT_TRUE(create_alloc_dir(dir_, {"web"}).is_ok());
  }
  TaskEnv env() const {
    return TaskEnv(dir_, "web", {{"VERSION", "1.2"}}, {{"attr.kernel.name", "linux"}});
  }
  std::string local(const std::string& rel) const { return dir_.task_local_dir("web") + "/" + rel; }
  // Builds a .tar.gz holding bin/app and README under the test's temp dir.
  std::string make_tarball() {
    std::string src = tmp_.path() + "/src";
    write_file(src + "/bin/app", "#!/bin/sh\necho app\n");
    write_file(src + "/README", "readme\n");
    std::string tarball = tmp_.path() + "/app.tar.gz";
    EXPECT_EQ(run("tar -czf " + tarball + " -C " + src + " bin README"), 0);
    return tarball;
  }
  static model::TaskArtifact artifact(std::string source) {
    model::TaskArtifact a;
    a.getter_source = std::move(source);
    return a;
  }

  TempDir tmp_;
  AllocDir dir_ = *AllocDir::under("/unused", "x");
  TestHttpServer server_;
};

TEST_F(ArtifactTest, DownloadsAFileIntoLocalWithCurlAndHeaders) {
  server_.add("/files/app-1.2.jar", {200, "jar bytes", "", false});
  model::TaskArtifact a = artifact(server_.url("/files/app-${VERSION}.jar"));
  a.getter_headers = {{"X-Token", "t-${attr.kernel.name}"}};
  Status st = fetch_artifact(a, env());
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(read_file(local("app-1.2.jar")), "jar bytes");
  EXPECT_NE(server_.last_request().find("X-Token: t-linux"), std::string::npos);
  // The staging area is cleaned up.
  EXPECT_TRUE(fs::is_empty(dir_.task_tmp_dir("web")));
}

TEST_F(ArtifactTest, BuiltInClientHandlesChunkedBodiesRedirectsAndErrors) {
  ArtifactOptions no_curl;
  no_curl.curl_path = "";
  server_.add("/chunked.txt", {200, "a body longer than one chunk", "", true});
  server_.add("/old.txt", {302, "", "/chunked.txt", false});
  model::TaskArtifact a = artifact(server_.url("/old.txt"));
  a.relative_dest = "local/moved.txt";
  a.getter_mode = "file";
  a.getter_headers = {{"Authorization", "Bearer x"}};
  Status st = fetch_artifact(a, env(), no_curl);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(read_file(local("moved.txt")), "a body longer than one chunk");
  EXPECT_NE(server_.last_request().find("Authorization: Bearer x"), std::string::npos);

  Status missing = fetch_artifact(artifact(server_.url("/nope")), env(), no_curl);
  EXPECT_EQ(missing.code(), StatusCode::kUnavailable);
  EXPECT_NE(missing.message().find("HTTP 404"), std::string::npos) << missing.message();

  Status https = fetch_artifact(artifact("https://example.com/x"), env(), no_curl);
  EXPECT_EQ(https.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(https.message().find("install curl"), std::string::npos);
}

TEST_F(ArtifactTest, CurlFailuresAreUnavailable) {
  Status st = fetch_artifact(artifact(server_.url("/nope")), env());
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("artifact \"" + server_.url("/nope") + "\""), std::string::npos);
}

TEST_F(ArtifactTest, UnpacksTarballsAndVerifiesChecksums) {
  std::string tarball = make_tarball();
  std::string sha = *internal::file_digest_hex(tarball, "sha256");
  server_.add("/app.tar.gz", {200, read_file(tarball), "", false});
  model::TaskArtifact a = artifact(server_.url("/app.tar.gz"));
  a.getter_options = {{"checksum", "sha256:" + sha}};
  a.relative_dest = "local/app";
  Status st = fetch_artifact(a, env());
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(read_file(local("app/bin/app")), "#!/bin/sh\necho app\n");
  EXPECT_EQ(read_file(local("app/README")), "readme\n");

  a.getter_options = {{"checksum", "sha256:" + std::string(64, '0')}};
  Status bad = fetch_artifact(a, env());
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("checksum mismatch: expected sha256 000"), std::string::npos);
  EXPECT_NE(bad.message().find(sha), std::string::npos);
}

TEST_F(ArtifactTest, ArchiveOptionFalseKeepsTheArchive) {
  std::string tarball = make_tarball();
  model::TaskArtifact a = artifact(tarball);
  a.getter_options = {{"archive", "false"}};
  ASSERT_TRUE(fetch_artifact(a, env()).is_ok());
  EXPECT_TRUE(fs::is_regular_file(local("app.tar.gz")));
  EXPECT_FALSE(fs::exists(local("bin")));
}

TEST_F(ArtifactTest, LocalSourcesFileUrlsAndDirectories) {
  write_file(tmp_.path() + "/conf/a.conf", "a");
  write_file(tmp_.path() + "/conf/sub/b.conf", "b");
  ASSERT_TRUE(fetch_artifact(artifact("file://" + tmp_.path() + "/conf/a.conf"), env()).is_ok());
  EXPECT_EQ(read_file(local("a.conf")), "a");

  model::TaskArtifact d = artifact(tmp_.path() + "/conf");
  d.relative_dest = "local/confdir";
  d.getter_mode = "dir";
  Status st = fetch_artifact(d, env());
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(read_file(local("confdir/sub/b.conf")), "b");

  // Relative sources are relative to the task dir.
  model::TaskArtifact rel = artifact("local/a.conf");
  rel.relative_dest = "../alloc/data/copy.conf";
  rel.getter_mode = "file";
  ASSERT_TRUE(fetch_artifact(rel, env()).is_ok());
  EXPECT_EQ(read_file(dir_.shared_data_dir() + "/copy.conf"), "a");
}

TEST_F(ArtifactTest, UnpacksZipFiles) {
  if (run("command -v python3 >/dev/null") != 0) GTEST_SKIP() << "python3 is needed to build a zip";
  write_file(tmp_.path() + "/z/hello.txt", "zipped");
  std::string zip = tmp_.path() + "/bundle.zip";
  ASSERT_EQ(run("cd " + tmp_.path() + "/z && python3 -m zipfile -c " + zip + " hello.txt"), 0);
  Status st = fetch_artifact(artifact(zip), env());
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(read_file(local("hello.txt")), "zipped");
}

TEST_F(ArtifactTest, ClearErrorsForWhatIsNotSupported) {
  auto message = [&](model::TaskArtifact a, ArtifactOptions options = {}) {
    Status st = fetch_artifact(a, env(), options);
    EXPECT_FALSE(st.is_ok());
    return st.message();
  };
  EXPECT_NE(message(artifact("s3::https://bucket/x")).find("not supported yet"), std::string::npos);
  EXPECT_NE(message(artifact("git://github.com/x/y")).find("not supported yet"), std::string::npos);
  model::TaskArtifact opt = artifact(tmp_.path());
  opt.getter_options = {{"aws_access_key_id", "x"}};
  EXPECT_NE(message(opt).find("option \"aws_access_key_id\" is not supported"), std::string::npos);
  model::TaskArtifact escape = artifact(make_tarball());
  escape.relative_dest = "../../../x";
  EXPECT_NE(message(escape).find("escapes the allocation directory"), std::string::npos);
  model::TaskArtifact mode = artifact(make_tarball());
  mode.getter_mode = "everything";
  EXPECT_NE(message(mode).find("must be any, file or dir"), std::string::npos);
  EXPECT_NE(message(artifact(tmp_.path() + "/missing")).find("does not exist"), std::string::npos);
  ArtifactOptions no_tar;
  no_tar.tar_path = tmp_.path() + "/no-tar";
  Status st = fetch_artifact(artifact(make_tarball()), env(), no_tar);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("needs tar"), std::string::npos);
  model::TaskArtifact corrupt = artifact(tmp_.path() + "/corrupt.tgz");
  write_file(tmp_.path() + "/corrupt.tgz", "not gzip");
  EXPECT_NE(message(corrupt).find("cannot unpack tar.gz archive"), std::string::npos);
}

}  // namespace
}  // namespace caravan::client
