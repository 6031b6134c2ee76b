// fuzz_seeds OUT: writes the seeds that are derived from the project's own content and code into
// OUT/<target>/, so that the committed corpora can be made again when the content or a format
// changes (docs/FUZZING.md): a correct answer to every exercise (answer), every bundle as the
// bundle target reads it (bundle) and as a zip (bundle_zip), and tokens signed with the token
// target's keys (token). The other targets' seeds are files copied from tests and samples.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "auth/token.h"
#include "content/bundle_zip.h"
#include "fuzz_content.h"
#include "memory_bundle.h"
#include "token_keys.h"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace practica;

namespace {

void Write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

std::string ReadFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

json::value CorrectAnswer(const domain::Exercise& exercise) {
  return std::visit(
      Overloaded{
          [](const domain::SingleChoice& spec) -> json::value {
            for (const auto& option : spec.options) {
              if (option.correct) return json::value(option.id);
            }
            return json::value("");
          },
          [](const domain::MultipleChoice& spec) -> json::value {
            json::array ids;
            for (const auto& option : spec.options) {
              if (option.correct) ids.emplace_back(option.id);
            }
            return ids;
          },
          [](const domain::TrueFalse& spec) -> json::value { return json::value(spec.answer); },
          [](const domain::Numeric& spec) -> json::value {
            const auto& first = spec.answers.front();
            return json::value(first.value ? *first.value : first.range->first);
          },
          [](const domain::ShortText& spec) -> json::value {
            return json::value(spec.answers.front().text.empty() ? "answer"
                                                                 : spec.answers.front().text);
          },
          [](const domain::Cloze& spec) -> json::value {
            json::array gaps;
            for (const auto& gap : spec.gaps) {
              std::visit(Overloaded{[&](const domain::Numeric& numeric) {
                                      const auto& first = numeric.answers.front();
                                      gaps.emplace_back(std::to_string(
                                          first.value ? *first.value : first.range->first));
                                    },
                                    [&](const domain::ShortText& text) {
                                      gaps.emplace_back(text.answers.front().text);
                                    },
                                    [&](const domain::ChoiceGap& choice) {
                                      gaps.emplace_back(choice.answer);
                                    }},
                         gap.spec);
            }
            return gaps;
          },
          [](const domain::Ordering& spec) -> json::value {
            json::array ids;
            for (const auto& item : spec.items) ids.emplace_back(item.id);
            return ids;
          },
          [](const domain::Matching& spec) -> json::value {
            json::object pairs;
            for (const auto& pair : spec.pairs) pairs[pair.left.id] = pair.right.id;
            return pairs;
          },
          [](const domain::Formula& spec) -> json::value { return json::value(spec.answer); },
          [](const domain::Essay&) -> json::value {
            return json::value("Averages hide the spread of the data.");
          },
      },
      exercise.spec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds OUT\n");
    return 2;
  }
  const fs::path out = argv[1];

  const std::vector<domain::Exercise> exercises = fuzz::LoadExercises();
  for (size_t i = 0; i < exercises.size() && i < 256; ++i) {
    std::string seed(1, static_cast<char>(i));
    seed += json::serialize(CorrectAnswer(exercises[i]));
    Write(out / "answer" / (std::to_string(i) + "-" + exercises[i].id), seed);
  }

  const std::vector<std::string> folders = fuzz::BundleFolders();
  const std::vector<domain::Course> courses = fuzz::LoadCourses();
  for (size_t i = 0; i < folders.size(); ++i) {
    const fs::path folder = folders[i];
    std::vector<content::BundleFile> files = {{"course.yaml", ReadFile(folder / "course.yaml")}};
    std::vector<fs::path> lessons;
    for (const auto& entry : fs::directory_iterator(folder / "lessons")) {
      lessons.push_back(entry.path());
    }
    std::sort(lessons.begin(), lessons.end());
    for (const fs::path& lesson : lessons) {
      files.push_back({"lessons/" + lesson.filename().string(), ReadFile(lesson)});
    }
    const auto text = fuzz::MemoryBundle::Format(files);
    if (text) Write(out / "bundle" / folder.filename(), *text);
    auto zip = content::WriteBundleZip(courses[i]);
    if (zip) Write(out / "bundle_zip" / (folder.filename().string() + ".zip"), *zip);
  }

  const auth::TokenSigner signer(fuzz::TokenKeys());
  const int64_t now = fuzz::kTokenNow;
  Write(out / "token" / "learner", signer.Sign({"usr_learner", domain::Role::kLearner, "ses_1",
                                                false, now - 60, now - 60, now + 840}));
  Write(out / "token" / "admin-mfa", signer.Sign({"usr_admin", domain::Role::kAdmin, "ses_2", true,
                                                  now - 1, now - 1, now + 899}));
  Write(out / "token" / "expired", signer.Sign({"usr_old", domain::Role::kInstructor, "ses_3", true,
                                                now - 3600, now - 3600, now - 2700}));
  auth::TokenSigner old_key({fuzz::TokenKeys()[1]});
  Write(out / "token" / "rotated-key", old_key.Sign({"usr_rot", domain::Role::kLearner, "ses_4",
                                                     false, now - 10, now - 10, now + 890}));
  return 0;
}
