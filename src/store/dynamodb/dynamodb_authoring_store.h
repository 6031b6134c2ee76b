// AuthoringStore on the DynamoDB table that holds content (table.h; docs/DATA.md, "Authoring").
//
// Items (pk / sk):
//   AUTHORING / COURSE#{slug}        the course: title, owners (JSON), the draft's revision and
//                                    the id and part count of its document, latest and live
//                                    version (0: none), published revision, times
//   OWNER#{user} / COURSE#{slug}     an index entry: the user owns the course (derived)
//   AUTHOR#{slug} / DOC#{id}#{part}  a part of a course document (at most 350 KB of its JSON,
//                                    cut between characters), so a course may outgrow one item
//   AUTHOR#{slug} / VERSION#{n:8}    version n: who, when, how, counts, and its document's id
//   AUTHOR#{slug} / EXV#{fingerprint} an exercise definition a version published
//
// Changes are one conditional write of the course item, after the documents it will point at are
// written: SaveDraft writes the new draft document, then swaps the course item to it on the
// revision it expects (UpdateItem, `revision = :expected`), then deletes the old document. Publish
// writes the version's document and the exercise versions it adds, claims VERSION#n with a
// conditional PutItem (attribute_not_exists), then moves the course item on `revision` and
// `latest_version`; when that fails it deletes the version item it claimed, so readers, which go
// through the course item (versions above latest_version are not listed), never see a version
// that did not happen. A claim whose publish died (older than a minute, above latest_version) is
// cleared by the next publish. Documents that nothing points at after a failure are deleted when
// possible; otherwise they are unreferenced garbage, never wrong data.
//
// The owner index is derived: SetOwners writes the course item first, then puts an index entry
// per owner and deletes those of removed owners; ListCourses(owner) reads the index and keeps
// only the courses whose item still names the owner.
//
// Every read is strongly consistent. A reader that finds a draft document gone (replaced after
// it read the course item) reads the course item again.
#pragma once

#include <memory>
#include <string>

#include "aws/dynamodb.h"
#include "store/authoring_store.h"

namespace practica::store::dynamodb {

class DynamoDbAuthoringStore final : public AuthoringStore {
 public:
  // Checks that the table exists and is practica's (table.h: kUnavailable otherwise).
  static Result<std::unique_ptr<DynamoDbAuthoringStore>> Open(
      std::shared_ptr<aws::dynamodb::Client> client, std::string table);

  Result<AuthoredCourse> CreateCourse(const domain::Course& draft,
                                      const std::vector<std::string>& owners, int64_t now,
                                      const std::optional<Publication>& publish) override;
  Result<AuthoredCourse> GetCourse(std::string_view slug) override;
  Result<Draft> GetDraft(std::string_view slug) override;
  Result<std::vector<AuthoredCourse>> ListCourses(std::string_view owner,
                                                  std::string_view after_slug, int limit) override;
  Result<AuthoredCourse> SaveDraft(std::string_view slug, const domain::Course& draft,
                                   int64_t expected_revision, int64_t now) override;
  Result<AuthoredCourse> SetOwners(std::string_view slug, const std::vector<std::string>& owners,
                                   int64_t now) override;
  Result<AuthoredCourse> Publish(std::string_view slug, const domain::Course& content,
                                 int64_t expected_revision, bool replace_draft,
                                 const Publication& publication) override;
  Result<AuthoredCourse> SetLiveVersion(std::string_view slug, std::optional<int> version,
                                        int64_t now) override;
  Result<std::vector<VersionInfo>> ListVersions(std::string_view slug) override;
  Result<domain::Course> GetVersion(std::string_view slug, int version) override;
  Result<ExerciseVersion> GetExerciseVersion(std::string_view slug,
                                             std::string_view fingerprint) override;
  Status Ping() override;

 private:
  struct Meta;
  struct Document {
    std::string id;
    int parts = 0;
  };

  DynamoDbAuthoringStore(std::shared_ptr<aws::dynamodb::Client> client, std::string table)
      : client_(std::move(client)), table_(std::move(table)) {}

  Result<Meta> LoadMeta(std::string_view slug);
  Result<Document> WriteDocument(std::string_view slug, const std::string& text);
  // kNotFound with type "document-gone" when the document has not all its parts (replaced).
  Result<std::string> ReadDocument(std::string_view slug, const Document& document);
  void DeleteDocument(std::string_view slug, const Document& document);
  // Writes the exercise versions the course has not published yet, as version `number`'s.
  Status AddExerciseVersions(std::string_view slug, const Publication& publication, int number);
  // The version item of `number` (pointing at `document`), claimed if no other writer has it.
  Status ClaimVersion(std::string_view slug, int number, const domain::Course& content,
                      const Publication& publication, int64_t draft_revision,
                      const Document& document);
  // When version `number` is claimed but the course never moved to it and the claim is older than
  // a minute (its publish died), deletes it: true when the number may be free now.
  Result<bool> ClearOrphanVersion(std::string_view slug, int number, int64_t now);
  Status WriteOwnerIndex(std::string_view slug, const std::vector<std::string>& owners,
                         const std::vector<std::string>& removed);

  std::shared_ptr<aws::dynamodb::Client> client_;
  std::string table_;
};

}  // namespace practica::store::dynamodb
