// Moodle GIFT files (content/gift.h), as `practica import-gift` and the authoring API's upload
// read them.
// Invariants: every problem names a line of the file (or 0, the whole file) and says something;
// what ParseGift keeps and WriteGift writes without a problem parses back to the same entries, and
// is then written the same way again (the round trip gift.h promises); an import that goes ahead
// gives a course that ExportGift can write.

#include <string>

#include "content/gift.h"
#include "fuzz_check.h"

using practica::content::GiftEntry;
using practica::content::GiftProblem;
using practica::fuzz::AsText;
using practica::fuzz::Check;

namespace {

void CheckProblems(const std::vector<GiftProblem>& problems, int lines) {
  for (const GiftProblem& problem : problems) {
    Check(!problem.message.empty(), "a GIFT problem says what is wrong");
    // Line 0: the file as a whole ("the file has no question to import").
    Check(problem.line >= 0 && problem.line <= lines, "a GIFT problem names a line of the file",
          "line " + std::to_string(problem.line) + " of " + std::to_string(lines) + ": " +
              problem.message);
  }
}

bool SameEntries(const std::vector<GiftEntry>& a, const std::vector<GiftEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].category != b[i].category || a[i].exercise != b[i].exercise ||
        a[i].description != b[i].description) {
      return false;
    }
  }
  return true;
}

// What a mismatch report shows of the entries: enough to tell which differs and how.
std::string Describe(const std::vector<GiftEntry>& entries) {
  std::string text;
  for (const GiftEntry& entry : entries) {
    text += "[" + entry.category + "] " + (entry.exercise ? "exercise " + entry.exercise->id : "") +
            (entry.exercise ? " prompt \"" + entry.exercise->prompt.markdown + "\"" : "") +
            " description \"" + entry.description.markdown + "\"\n  ";
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  // Lines as an editor counts them, whatever the line endings (CR LF, LF or a lone CR).
  int lines = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++lines;
    }
  }

  const practica::content::GiftFile file = practica::content::ParseGift(text);
  CheckProblems(file.problems, lines);
  const practica::content::GiftText written = practica::content::WriteGift(file.entries);
  if (written.problems.empty()) {
    const practica::content::GiftFile back = practica::content::ParseGift(written.text);
    std::string problems;
    for (const GiftProblem& problem : back.problems) {
      problems += std::to_string(problem.line) + ": " + problem.message + "\n  ";
    }
    Check(!back.HasErrors() && !back.HasUnsupported(), "written GIFT parses without errors",
          "written: \"" + written.text + "\"\n  " + problems);
    Check(SameEntries(back.entries, file.entries), "written GIFT parses back to the same entries",
          "read: " + Describe(file.entries) + "written: \"" + written.text +
              "\"\n  back: " + Describe(back.entries));
    Check(practica::content::WriteGift(back.entries).text == written.text,
          "written GIFT is stable");
  }

  const practica::content::GiftImport import =
      practica::content::ImportGift(text, {"fuzz", "Fuzz", size % 2 == 0});
  CheckProblems(import.problems, lines);
  if (import.course) {
    const practica::content::GiftText exported = practica::content::ExportGift(*import.course);
    for (const GiftProblem& problem : exported.problems) {
      Check(!problem.message.empty(), "an export problem says what is wrong");
    }
  }
  return 0;
}
