// Bundles as zips: the round trip and determinism of WriteBundleZip, the layouts ReadBundleZip
// accepts, and every kind of malformed or malicious zip it must refuse (built by test_zip.h).
#include "content/bundle_zip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "content/bundle.h"
#include "content/test_bundle.h"
#include "content/test_zip.h"

namespace practica::content {
namespace {

using ::testing::AllOf;
using testing::BuildTestZip;
using ::testing::Contains;
using testing::Describe;
using ::testing::Field;
using testing::Fixture;
using testing::FolderEntries;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestZipEntry;
using testing::ZerosEntry;

#define EXPECT_PROBLEM(error_value, where, text)                                                   \
  EXPECT_THAT((error_value).fields, Contains(AllOf(Field(&FieldError::field, std::string(where)),  \
                                                   Field(&FieldError::message, HasSubstr(text))))) \
      << Describe(error_value)

constexpr std::string_view kCourse = "format: 1\nslug: zipped\ntitle: Zipped\n";
constexpr std::string_view kLesson =
    "---\ntitle: A\n---\nText.\n\n```exercise\nid: ok\ntype: true_false\nprompt: p\n"
    "answer: true\n```\n";

TestZipEntry File(std::string name, std::string data) {
  TestZipEntry entry;
  entry.name = std::move(name);
  entry.data = std::move(data);
  return entry;
}

// A good bundle, plus `extra` entries.
std::vector<TestZipEntry> GoodBundle(std::vector<TestZipEntry> extra = {}) {
  std::vector<TestZipEntry> entries = {File("course.yaml", std::string(kCourse)),
                                       File("lessons/01-a.md", std::string(kLesson))};
  for (TestZipEntry& entry : extra) entries.push_back(std::move(entry));
  return entries;
}

Error ReadError(const std::string& zip) {
  Result<domain::Course> result = ReadBundleZip(zip, "t.zip");
  EXPECT_FALSE(result.ok()) << "the zip was accepted";
  if (result.ok()) return Error{};
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  return std::move(result).error();
}

domain::Course ReadGood(const std::string& zip) {
  Result<domain::Course> result = ReadBundleZip(zip, "t.zip");
  EXPECT_TRUE(result.ok()) << Describe(result.error());
  return result.ok() ? std::move(result).value() : domain::Course{};
}

// Pseudo-random bytes that do not compress.
std::string Noise(size_t size) {
  std::string bytes(size, '\0');
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (char& byte : bytes) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    byte = static_cast<char>(state >> 56);
  }
  return bytes;
}

std::vector<std::filesystem::path> CourseFolders(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (std::filesystem::exists(entry.path() / "course.yaml")) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

// ---- the round trip ----------------------------------------------------------------------------

// folder → course → zip → course: the same course; and the zip of the course read back from the
// zip is byte for byte the first zip.
void ExpectZipRoundTrip(const std::filesystem::path& folder) {
  SCOPED_TRACE(folder.string());
  Result<domain::Course> original = ReadBundle(folder);
  ASSERT_TRUE(original.ok()) << Describe(original.error());
  Result<std::string> zip = WriteBundleZip(*original);
  ASSERT_TRUE(zip.ok()) << Describe(zip.error());
  Result<domain::Course> back = ReadBundleZip(*zip, "export.zip");
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_TRUE(*back == *original);
  Result<std::string> again = WriteBundleZip(*back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *zip);
}

TEST(BundleZip, RoundTripsEveryFixture) {
  const std::vector<std::filesystem::path> folders = CourseFolders(Fixture(""));
  ASSERT_GE(folders.size(), 10u);
  for (const std::filesystem::path& folder : folders) ExpectZipRoundTrip(folder);
}

TEST(BundleZip, RoundTripsTheDemoContent) {
  const std::vector<std::filesystem::path> folders =
      CourseFolders(std::filesystem::path(PRACTICA_SOURCE_DIR) / "content");
  ASSERT_FALSE(folders.empty());
  for (const std::filesystem::path& folder : folders) ExpectZipRoundTrip(folder);
}

TEST(BundleZip, WritingIsDeterministic) {
  Result<domain::Course> course = ReadBundle(Fixture("cloze"));
  ASSERT_TRUE(course.ok());
  Result<std::string> first = WriteBundleZip(*course);
  ASSERT_TRUE(first.ok());
  // A later second, another time zone: the bytes must not move.
  setenv("TZ", "Pacific/Auckland", 1);
  Result<std::string> second = WriteBundleZip(*course);
  unsetenv("TZ");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
}

TEST(BundleZip, WritesTheBundleUnderAFolderNamedAfterTheSlug) {
  Result<domain::Course> course = ReadBundle(Fixture("numeric"));
  ASSERT_TRUE(course.ok());
  Result<std::string> zip = WriteBundleZip(*course);
  ASSERT_TRUE(zip.ok());
  const size_t lesson = zip->find(course->slug + "/lessons/01-numbers.md");
  const size_t course_file = zip->find(course->slug + "/course.yaml");
  ASSERT_NE(lesson, std::string::npos);
  ASSERT_NE(course_file, std::string::npos);
  EXPECT_LT(course_file, lesson) << "entries in name order";
  // The same files as the folder export.
  const TempDir dir;
  ASSERT_TRUE(WriteBundle(*course, dir.path()).ok());
  const std::string unzipped_folder = dir.path().string();
  Result<domain::Course> from_folder =
      ReadBundleZip(BuildTestZip(FolderEntries(unzipped_folder, "")), "folder.zip");
  ASSERT_TRUE(from_folder.ok());
  EXPECT_TRUE(*from_folder == *course);
}

TEST(BundleZip, RefusesToWriteACourseThatIsNotAValidBundle) {
  Result<domain::Course> course = ReadBundle(Fixture("numeric"));
  ASSERT_TRUE(course.ok());
  course->lessons[0].title.clear();
  Result<std::string> zip = WriteBundleZip(*course);
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.error().code, ErrorCode::kInvalid);
}

TEST(BundleZip, WritesAFileAtomically) {
  Result<domain::Course> course = ReadBundle(Fixture("ordering"));
  ASSERT_TRUE(course.ok());
  const TempDir dir;
  const std::filesystem::path path = dir.path() / "out" / "course.zip";
  ASSERT_TRUE(WriteBundleZipFile(*course, path).ok());
  Result<domain::Course> back = ReadBundleZipFile(path);
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_TRUE(*back == *course);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "out"),
                          std::filesystem::directory_iterator()),
            1)
      << "no temporary file left behind";
}

// ---- layouts -----------------------------------------------------------------------------------

TEST(BundleZip, ReadsABundleAtTheRoot) {
  const domain::Course course = ReadGood(BuildTestZip(GoodBundle()));
  EXPECT_EQ(course.slug, "zipped");
  ASSERT_EQ(course.lessons.size(), 1u);
  EXPECT_EQ(course.lessons[0].file_name, "01-a");
}

TEST(BundleZip, ReadsAZippedFolderWithFolderEntriesAndMacMetadata) {
  // What zip -r and the Finder make: folder entries, and __MACOSX/ beside the folder.
  TestZipEntry folder = File("my-course/", "");
  folder.external = 040755u << 16;
  TestZipEntry lessons = File("my-course/lessons/", "");
  lessons.system = 0;
  lessons.external = 0x10;  // MS-DOS: a folder
  const domain::Course course = ReadGood(BuildTestZip({
      folder,
      File("my-course/course.yaml", std::string(kCourse)),
      lessons,
      File("my-course/lessons/01-a.md", std::string(kLesson)),
      File("my-course/assets/chart.png", Noise(1000)),
      File("__MACOSX/my-course/._course.yaml", "metadata"),
  }));
  EXPECT_EQ(course.slug, "zipped");
  EXPECT_EQ(course.lessons.size(), 1u);
}

TEST(BundleZip, ReadsEveryFixtureZippedOneFolderDown) {
  for (const std::filesystem::path& folder : CourseFolders(Fixture(""))) {
    SCOPED_TRACE(folder.string());
    Result<domain::Course> plain = ReadBundle(folder);
    ASSERT_TRUE(plain.ok());
    Result<domain::Course> zipped = ReadBundleZip(
        BuildTestZip(FolderEntries(folder.string(), folder.filename().string() + "/")), "f.zip");
    ASSERT_TRUE(zipped.ok()) << Describe(zipped.error());
    EXPECT_TRUE(*zipped == *plain);
  }
}

TEST(BundleZip, ReportsBundleProblemsByEntryNameAndLine) {
  const std::string broken = "---\ntitle: A\n---\n```exercise\nid: x\ntype: essay_question\n```\n";
  const Error error = ReadError(BuildTestZip(
      {File("c/course.yaml", std::string(kCourse)), File("c/lessons/01-a.md", broken)}));
  EXPECT_PROBLEM(error, "t.zip/c/lessons/01-a.md:6", "essay_question");
}

TEST(BundleZip, ReportsAListedLessonThatIsMissing) {
  const Error error = ReadError(
      BuildTestZip({File("course.yaml", std::string(kCourse) + "lessons:\n  - 01-a\n  - 02-b\n"),
                    File("lessons/01-a.md", std::string(kLesson))}));
  EXPECT_PROBLEM(error, "t.zip/course.yaml:6", "lessons/02-b.md does not exist");
}

TEST(BundleZip, RefusesAZipWithoutABundle) {
  EXPECT_PROBLEM(ReadError(BuildTestZip({File("notes.txt", "hello")})), "t.zip:0",
                 "no course.yaml");
  EXPECT_PROBLEM(ReadError(BuildTestZip({File("a/course.yaml", std::string(kCourse)),
                                         File("b/course.yaml", std::string(kCourse))})),
                 "t.zip:0", "several bundles (a/, b/)");
  // Two folders down is not what zipping a bundle folder gives.
  EXPECT_PROBLEM(ReadError(BuildTestZip({File("a/b/course.yaml", std::string(kCourse))})),
                 "t.zip:0", "no course.yaml");
}

TEST(BundleZip, RefusesEmptyAndNonZipInput) {
  EXPECT_PROBLEM(ReadError(""), "t.zip:0", "empty, not a zip");
  EXPECT_PROBLEM(ReadError(BuildTestZip({})), "t.zip:0", "the zip is empty");
  EXPECT_PROBLEM(ReadError("format: 1\nslug: x\n"), "t.zip:0", "not a readable zip");
}

TEST(BundleZip, RefusesACorruptedCentralDirectory) {
  const std::string good = BuildTestZip(GoodBundle());
  // The central directory starts at the offset the end record gives.
  const size_t end = good.size() - 22;
  const size_t directory =
      static_cast<unsigned char>(good[end + 16]) | static_cast<unsigned char>(good[end + 17]) << 8;
  std::string bad_signature = good;
  bad_signature[directory] = 'X';
  EXPECT_PROBLEM(ReadError(bad_signature), "t.zip:0", "not a readable zip");

  std::string bad_offset = good;  // the first entry's local header offset points into its data
  bad_offset[directory + 42] = 7;
  EXPECT_PROBLEM(ReadError(bad_offset), "t.zip:0", "not a readable zip");

  EXPECT_PROBLEM(ReadError(good.substr(0, good.size() - 30)), "t.zip:0", "not a readable zip");
}

TEST(BundleZip, RefusesDamagedData) {
  std::string zip = BuildTestZip(GoodBundle());
  const size_t at = zip.find("lessons/01-a.md") + std::string("lessons/01-a.md").size();
  zip[at + 5] = static_cast<char>(zip[at + 5] ^ 0x55);  // inside the lesson's deflated data
  EXPECT_PROBLEM(ReadError(zip), "t.zip/lessons/01-a.md:0", "damaged");
}

TEST(BundleZip, RefusesNamesThatLeaveTheBundleOrAreAmbiguous) {
  // Without the UTF-8 flag (0x0800) a name is taken as it is, and refused here; with the flag,
  // libzip itself refuses a zip whose names are not valid UTF-8 text (below).
  TestZipEntry control = File("assets/bell\a.png", "x");
  control.flags = 0;
  TestZipEntry not_utf8 = File("assets/\xff\xfe.png", "x");
  not_utf8.flags = 0;
  const Error error = ReadError(BuildTestZip(GoodBundle({
      File("../evil", "x"),
      File("assets/../../evil", "x"),
      File("/etc/passwd", "x"),
      File("assets\\chart.png", "x"),
      File("assets//a.png", "x"),
      File("./course.yaml", "x"),
      control,
      not_utf8,
  })));
  EXPECT_PROBLEM(error, "t.zip/../evil:0", "'..'");
  EXPECT_PROBLEM(error, "t.zip/assets/../../evil:0", "'..'");
  EXPECT_PROBLEM(error, "t.zip//etc/passwd:0", "absolute");
  EXPECT_PROBLEM(error, "t.zip/assets\\chart.png:0", "backslash");
  EXPECT_PROBLEM(error, "t.zip/assets//a.png:0", "empty segment");
  EXPECT_PROBLEM(error, "t.zip/./course.yaml:0", "'.' segment");
  EXPECT_PROBLEM(error, "t.zip/(entry 9):0", "control character");
  EXPECT_PROBLEM(error, "t.zip/(entry 10):0", "not valid UTF-8");
  EXPECT_EQ(error.fields.size(), 8u) << Describe(error);

  for (TestZipEntry flagged : {control, not_utf8}) {
    flagged.flags = 0x0800;
    EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({flagged}))), "t.zip:0", "not a readable zip");
  }
}

TEST(BundleZip, RefusesLinksAndSpecialFiles) {
  TestZipEntry link = File("lessons/02-b.md", "/etc/passwd");
  link.external = 0120777u << 16;
  TestZipEntry fifo = File("assets/pipe", "");
  fifo.external = 010644u << 16;
  TestZipEntry windows_link = File("assets/junction", "");
  windows_link.system = 0;
  windows_link.external = 0x400;
  const Error error = ReadError(BuildTestZip(GoodBundle({link, fifo, windows_link})));
  EXPECT_PROBLEM(error, "t.zip/lessons/02-b.md:0", "symbolic link");
  EXPECT_PROBLEM(error, "t.zip/assets/pipe:0", "not a regular file");
  EXPECT_PROBLEM(error, "t.zip/assets/junction:0", "symbolic link");
}

TEST(BundleZip, RefusesDuplicateNames) {
  const Error error =
      ReadError(BuildTestZip(GoodBundle({File("course.yaml", "format: 1\nslug: other\n")})));
  EXPECT_PROBLEM(error, "t.zip/course.yaml:0", "same name");
}

TEST(BundleZip, RefusesEncryptedEntries) {
  TestZipEntry secret = File("lessons/02-b.md", std::string(kLesson));
  secret.flags |= 0x0001;
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({secret}))), "t.zip/lessons/02-b.md:0",
                 "encrypted");
}

TEST(BundleZip, RefusesOtherCompressionMethods) {
  TestZipEntry bzip2 = File("assets/a.bin", "");
  bzip2.raw = "BZh9";
  bzip2.raw_size = 4;
  bzip2.method = 12;
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({bzip2}))), "t.zip/assets/a.bin:0",
                 "compression method 12");
}

TEST(BundleZip, RefusesTooManyEntries) {
  std::vector<TestZipEntry> many;
  for (int i = 0; i < 2000; ++i) many.push_back(File("assets/" + std::to_string(i), ""));
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle(many))), "t.zip:0", "at most 2000");
  many.resize(1998);  // with the two bundle files: exactly the limit
  ReadGood(BuildTestZip(GoodBundle(many)));
}

TEST(BundleZip, RefusesAnEntryThatClaimsToBeHuge) {
  TestZipEntry claim = File("assets/tiny.bin", "hello");
  claim.declared_size = 1u << 30;  // 1 GiB from 7 bytes
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({claim}))), "t.zip/assets/tiny.bin:0",
                 "inflates to 1073741824 bytes; the limit is 10 MiB per entry");
}

TEST(BundleZip, RefusesADeflateBombBeforeInflatingIt) {
  // 200 MiB of zeros in about 200 KB, honestly declared.
  const TestZipEntry bomb = ZerosEntry("lessons/02-b.md", 200u * 1024 * 1024);
  ASSERT_LT(bomb.raw->size(), 300u * 1024);
  const auto start = std::chrono::steady_clock::now();
  const Error error = ReadError(BuildTestZip(GoodBundle({bomb})));
  EXPECT_PROBLEM(error, "t.zip/lessons/02-b.md:0", "limit is 10 MiB per entry");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(BundleZip, RefusesABombWhoseDeclaredSizeLies) {
  // The central directory says 1000 bytes; the data inflates to 200 MiB (libzip itself does not
  // stop at the declared size). Inflating stops at the bundle-file limit, 1 MiB.
  TestZipEntry bomb = ZerosEntry("lessons/02-b.md", 200u * 1024 * 1024);
  bomb.declared_size = 1000;
  const auto start = std::chrono::steady_clock::now();
  const Error error = ReadError(BuildTestZip(GoodBundle({bomb})));
  EXPECT_PROBLEM(error, "t.zip/lessons/02-b.md:0", "larger than the limit of 1 MiB");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // 4 MiB of zeros deflate to about 4 KB: inflating stops at the ratio limit, near 400 KB.
  TestZipEntry small_bomb = ZerosEntry("lessons/02-b.md", 4u * 1024 * 1024);
  small_bomb.declared_size = 1000;
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({small_bomb}))), "t.zip/lessons/02-b.md:0",
                 "100 times its compressed size");
}

TEST(BundleZip, StopsInflatingALyingEntryAtTheBundleFileLimit) {
  // Incompressible, so the ratio limit does not apply; still never more than 1 MiB is inflated.
  TestZipEntry big = File("lessons/02-b.md", Noise(3 * 1024 * 1024));
  big.declared_size = 1000;
  const Error error = ReadError(BuildTestZip(GoodBundle({big})));
  EXPECT_PROBLEM(error, "t.zip/lessons/02-b.md:0", "larger than the limit of 1 MiB");
}

TEST(BundleZip, RefusesAnEntryOverTheRatioLimitBySize) {
  TestZipEntry squeezed = File("assets/a.bin", "");
  squeezed.raw = Noise(1000);
  squeezed.raw_size = 200 * 1000;  // 200:1
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle({squeezed}))), "t.zip/assets/a.bin:0",
                 "100 times its compressed size");
}

TEST(BundleZip, RefusesEntriesOverTheTotalLimit) {
  // Eleven entries of 9.5 MiB, each within its own limits (95:1), 104.5 MiB together.
  std::vector<TestZipEntry> parts;
  for (int i = 0; i < 11; ++i) {
    TestZipEntry part = File("assets/part" + std::to_string(i), "");
    part.raw = Noise(100 * 1024);
    part.raw_size = 95 * 1024 * 1024 / 10;
    parts.push_back(std::move(part));
  }
  EXPECT_PROBLEM(ReadError(BuildTestZip(GoodBundle(parts))), "t.zip:0", "the limit is 100 MiB");
}

TEST(BundleZip, RefusesAZipOverItsOwnLimit) {
  EXPECT_PROBLEM(ReadError(std::string(kMaxBundleZipBytes + 1, 'P')), "t.zip:0",
                 "the limit is 50 MiB");
}

TEST(BundleZip, RefusesALessonThatIsnot_utf8WithItsLine) {
  const Error error =
      ReadError(BuildTestZip({File("course.yaml", std::string(kCourse)),
                              File("lessons/01-a.md", "---\ntitle: A\n---\ncaf\xe9\n")}));
  EXPECT_PROBLEM(error, "t.zip/lessons/01-a.md:4", "not valid UTF-8");
}

TEST(BundleZip, ReadsAStoredEntry) {
  std::vector<TestZipEntry> entries = GoodBundle();
  entries[0].deflate = false;
  EXPECT_EQ(ReadGood(BuildTestZip(entries)).slug, "zipped");
}

TEST(BundleZip, TellsZipPathsFromFolders) {
  EXPECT_TRUE(IsBundleZipPath("out/course.zip"));
  EXPECT_TRUE(IsBundleZipPath("COURSE.ZIP"));
  EXPECT_FALSE(IsBundleZipPath("out/course"));
  EXPECT_FALSE(IsBundleZipPath("zip"));
}

}  // namespace
}  // namespace practica::content
