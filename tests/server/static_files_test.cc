#include "server/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace practica::server {
namespace {
namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("practica-static-" + std::to_string(getpid()));
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<!doctype html><title>app</title>");
    WriteFile(root_ / "assets/index-4f2a9c1bDx.js", "console.log(1)");
    WriteFile(root_ / "assets/index-4f2a9c1bDx.js.gz", "GZ");
    WriteFile(root_ / "assets/index-4f2a9c1bDx.js.br", "BR");
    WriteFile(root_ / "assets/style-abcdef12.css", "body{}");
    WriteFile(root_ / "favicon.svg", "<svg/>");
    WriteFile(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    files_ = StaticFiles::Load(root_);
  }
  void TearDown() override { fs::remove_all(base_); }

  http::Response Get(std::string path,
                     std::initializer_list<std::pair<const char*, std::string>> headers = {}) {
    http::Request request;
    request.method = http::Method::kGet;
    request.path = std::move(path);
    for (const auto& [name, value] : headers) request.headers.Set(name, value);
    return files_->Serve(request);
  }

  fs::path base_, root_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentTypes) {
  auto response = Get("/favicon.svg");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<svg/>");
  EXPECT_EQ(response.headers.Get("Content-Type"), "image/svg+xml");
  EXPECT_EQ(Get("/assets/style-abcdef12.css").headers.Get("Content-Type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(Get("/").headers.Get("Content-Type"), "text/html; charset=utf-8");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndIndexIsNoCache) {
  EXPECT_EQ(Get("/assets/index-4f2a9c1bDx.js").headers.Get("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/").headers.Get("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/index.html").headers.Get("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/favicon.svg").headers.Get("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexButMissingFilesAre404) {
  auto route = Get("/courses/everyday-data/lessons/averages");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(Get("/assets/missing.js").status, 404);
  EXPECT_EQ(Get("/robots.txt").status, 404);
}

TEST_F(StaticFilesTest, EtagGives304) {
  auto first = Get("/favicon.svg");
  const std::string etag(*first.headers.Get("ETag"));
  auto again = Get("/favicon.svg", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/favicon.svg", {{"If-None-Match", "\"nope\""}}).status, 200);
}

TEST_F(StaticFilesTest, PrecompressedVariantsWhenAccepted) {
  auto br = Get("/assets/index-4f2a9c1bDx.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(br.body, "BR");
  EXPECT_EQ(br.headers.Get("Content-Encoding"), "br");
  EXPECT_EQ(br.headers.Get("Vary"), "Accept-Encoding");
  auto gz = Get("/assets/index-4f2a9c1bDx.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.body, "GZ");
  EXPECT_EQ(gz.headers.Get("Content-Encoding"), "gzip");
  auto refused = Get("/assets/index-4f2a9c1bDx.js", {{"Accept-Encoding", "br;q=0, gzip;q=0"}});
  EXPECT_EQ(refused.body, "console.log(1)");
  EXPECT_FALSE(refused.headers.Has("Content-Encoding"));
  EXPECT_NE(br.headers.Get("ETag"), gz.headers.Get("ETag"));
  // The compressed files are not served as files of their own.
  EXPECT_EQ(Get("/assets/index-4f2a9c1bDx.js.gz").status, 404);
}

TEST_F(StaticFilesTest, TraversalAndOddBytesAreRefused) {
  EXPECT_EQ(Get("/../secret.txt").status, 400);
  EXPECT_EQ(Get("/assets/../../secret.txt").status, 400);
  EXPECT_EQ(Get("/./index.html").status, 400);
  EXPECT_EQ(Get(std::string("/index.html\0.js", 15)).status, 400);
  EXPECT_EQ(Get("/assets\\..\\secret.txt").status, 400);
}

TEST_F(StaticFilesTest, SymlinksOutOfTheRootAreNotServed) {
  auto response = Get("/leak.txt");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body.find("top secret"), std::string::npos);
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  http::Request request;
  request.method = http::Method::kPost;
  request.path = "/index.html";
  auto response = files_->Serve(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "GET, HEAD");
}

TEST(StaticFilesMissingRoot, ServesNothing) {
  auto files = StaticFiles::Load("/nonexistent/practica/dist");
  http::Request request;
  request.path = "/";
  EXPECT_EQ(files->Serve(request).status, 404);
}

}  // namespace
}  // namespace practica::server
