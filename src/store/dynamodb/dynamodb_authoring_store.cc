#include "store/dynamodb/dynamodb_authoring_store.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

#include "common/log.h"
#include "common/text.h"
#include "store/authoring_checks.h"
#include "store/dynamodb/table.h"
#include "store/exercise_codec.h"

namespace practica::store::dynamodb {

namespace json = boost::json;
namespace attr = aws::dynamodb::attr;
using aws::dynamodb::Item;

namespace {

constexpr std::string_view kAuthoring = "AUTHORING";
constexpr std::string_view kCoursePrefix = "COURSE#";
// A document part stays well under DynamoDB's 400 KB item limit.
constexpr size_t kPartBytes = 350 * 1024;
// Publishes that lose the race for a version number try again with the next one.
constexpr int kPublishAttempts = 5;
// A version item above the course's latest version, older than this, was claimed by a publish
// that never finished (its process died between the claim and the course item's update).
constexpr int64_t kOrphanSeconds = 60;
// Reads of a draft whose document is replaced meanwhile start over at most this many times.
constexpr int kReadRounds = 5;
constexpr std::string_view kDocumentGone = "document-gone";

std::string CourseSk(std::string_view slug) {
  std::string key(kCoursePrefix);
  key += slug;
  return key;
}

std::string CoursePartition(std::string_view slug) {
  std::string key = "AUTHOR#";
  key += slug;
  return key;
}

std::string OwnerPartition(std::string_view user) {
  std::string key = "OWNER#";
  key += user;
  return key;
}

std::string DocumentPrefix(std::string_view id) {
  std::string key = "DOC#";
  key += id;
  key += '#';
  return key;
}

std::string PartSk(std::string_view id, int part) {
  char number[16];
  std::snprintf(number, sizeof number, "%04d", part);
  return DocumentPrefix(id) + number;
}

std::string VersionSk(int number) {
  char key[32];
  std::snprintf(key, sizeof key, "VERSION#%08d", number);
  return key;
}

std::string ExerciseVersionSk(std::string_view fingerprint) {
  std::string key = "EXV#";
  key += fingerprint;
  return key;
}

Item Key(std::string_view pk, std::string_view sk) {
  return Item{{"pk", attr::S(pk)}, {"sk", attr::S(sk)}};
}

// 64 random bits, hex: a document id only has to differ from the course's other documents.
std::string NewDocumentId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

bool IsConditionFailure(const Error& error) { return error.type == "conditional-check-failed"; }

// `text` cut into parts of at most kPartBytes, never inside a UTF-8 sequence (DynamoDB strings
// must be valid UTF-8, and so must each part be).
std::vector<std::string_view> Parts(std::string_view text) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    size_t cut = std::min(text.size(), kPartBytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    parts.push_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  return parts;
}

// An optional string attribute: left out when empty (dynalite refuses empty strings).
void SetText(Item& item, std::string_view name, std::string_view value) {
  if (!value.empty()) item[name] = attr::S(value);
}

}  // namespace

struct DynamoDbAuthoringStore::Meta {
  AuthoredCourse course;
  Document draft;
};

namespace {

Result<std::vector<std::string>> OwnersOf(const Item& item) {
  return DecodeStrings(attr::GetS(item, "owners").value_or("[]"));
}

}  // namespace

Result<std::unique_ptr<DynamoDbAuthoringStore>> DynamoDbAuthoringStore::Open(
    std::shared_ptr<aws::dynamodb::Client> client, std::string table) {
  if (Status checked = CheckTable(*client, table); !checked.ok()) return std::move(checked).error();
  return std::unique_ptr<DynamoDbAuthoringStore>(
      new DynamoDbAuthoringStore(std::move(client), std::move(table)));
}

namespace {

Result<AuthoredCourse> ReadCourseItem(const Item& item, std::string* draft_id = nullptr,
                                      int* draft_parts = nullptr) {
  AuthoredCourse course;
  course.slug = std::string(attr::GetS(item, "slug").value_or(""));
  course.title = std::string(attr::GetS(item, "title").value_or(""));
  Result<std::vector<std::string>> owners = OwnersOf(item);
  if (!owners.ok()) {
    return Error::Internal("stored owners of course " + Quoted(course.slug) +
                           " do not decode: " + owners.error().message);
  }
  course.owners = NormalizeOwners(std::move(owners).value());
  course.revision = attr::GetInt(item, "revision").value_or(0);
  course.latest_version = static_cast<int>(attr::GetInt(item, "latest_version").value_or(0));
  if (const int64_t live = attr::GetInt(item, "live_version").value_or(0); live > 0) {
    course.live_version = static_cast<int>(live);
  }
  course.published_revision = attr::GetInt(item, "published_revision").value_or(0);
  course.created_at = attr::GetInt(item, "created_at").value_or(0);
  course.updated_at = attr::GetInt(item, "updated_at").value_or(0);
  if (draft_id != nullptr) *draft_id = std::string(attr::GetS(item, "draft").value_or(""));
  if (draft_parts != nullptr) {
    *draft_parts = static_cast<int>(attr::GetInt(item, "draft_parts").value_or(0));
  }
  return course;
}

const Item* Attributes(const json::object& response) {
  const json::value* attributes = response.if_contains("Attributes");
  return attributes != nullptr && attributes->is_object() ? &attributes->get_object() : nullptr;
}

Error CourseNotFound(std::string_view slug) {
  return Error::NotFound("course " + Quoted(slug) + " not found");
}

Error NoVersion(std::string_view slug, int version) {
  return Error::NotFound("course " + Quoted(slug) + " has no version " + std::to_string(version));
}

}  // namespace

Result<DynamoDbAuthoringStore::Meta> DynamoDbAuthoringStore::LoadMeta(std::string_view slug) {
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(kAuthoring, CourseSk(slug)), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return CourseNotFound(slug);
  Meta meta;
  Result<AuthoredCourse> course = ReadCourseItem(**item, &meta.draft.id, &meta.draft.parts);
  if (!course.ok()) return std::move(course).error();
  meta.course = std::move(course).value();
  return meta;
}

Result<DynamoDbAuthoringStore::Document> DynamoDbAuthoringStore::WriteDocument(
    std::string_view slug, const std::string& text) {
  Document document{NewDocumentId(), 0};
  std::vector<Item> items;
  for (std::string_view part : Parts(text)) {
    Item item = Key(CoursePartition(slug), PartSk(document.id, document.parts++));
    item["d"] = attr::S(part);
    items.push_back(std::move(item));
  }
  if (Status written = client_->BatchWrite(table_, std::move(items), {}); !written.ok()) {
    DeleteDocument(slug, document);
    return std::move(written).error();
  }
  return document;
}

Result<std::string> DynamoDbAuthoringStore::ReadDocument(std::string_view slug,
                                                         const Document& document) {
  Result<std::vector<Item>> parts = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :doc)"},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(CoursePartition(slug))},
                                                 {":doc", attr::S(DocumentPrefix(document.id))}}},
      {"ConsistentRead", true}});
  if (!parts.ok()) return std::move(parts).error();
  if (document.id.empty() || static_cast<int>(parts->size()) != document.parts) {
    Error gone = Error::NotFound("a document of course " + Quoted(slug) + " was replaced");
    gone.type = std::string(kDocumentGone);
    return gone;
  }
  std::string text;
  for (const Item& part : *parts) text += attr::GetS(part, "d").value_or("");  // sk order
  return text;
}

void DynamoDbAuthoringStore::DeleteDocument(std::string_view slug, const Document& document) {
  std::vector<Item> keys;
  for (int part = 0; part < document.parts; ++part) {
    keys.push_back(Key(CoursePartition(slug), PartSk(document.id, part)));
  }
  if (Status deleted = client_->BatchWrite(table_, {}, std::move(keys)); !deleted.ok()) {
    log::Warn("unreferenced authoring document left behind",
              {{"course", slug}, {"document", document.id}, {"error", deleted.error().message}});
  }
}

Status DynamoDbAuthoringStore::AddExerciseVersions(std::string_view slug,
                                                   const Publication& publication, int number) {
  std::vector<Item> keys;
  std::set<std::string_view> wanted;
  for (const ExerciseVersion& exercise : publication.exercises) {
    if (wanted.insert(exercise.fingerprint).second) {
      keys.push_back(Key(CoursePartition(slug), ExerciseVersionSk(exercise.fingerprint)));
    }
  }
  if (keys.empty()) return Status::Ok();
  Result<std::vector<Item>> existing = client_->BatchGet(table_, std::move(keys), true);
  if (!existing.ok()) return std::move(existing).error();
  std::set<std::string> known;
  for (const Item& item : *existing) known.emplace(attr::GetS(item, "sk").value_or(""));
  std::vector<Item> puts;
  for (const ExerciseVersion& exercise : publication.exercises) {
    const std::string sk = ExerciseVersionSk(exercise.fingerprint);
    if (!known.insert(sk).second) continue;
    Item item = Key(CoursePartition(slug), sk);
    item["exercise"] = attr::S(exercise.exercise.id);
    item["definition"] = attr::S(EncodeExercise(exercise.exercise));
    item["first_version"] = attr::N(static_cast<int64_t>(number));
    item["published_at"] = attr::N(publication.published_at);
    puts.push_back(std::move(item));
  }
  return client_->BatchWrite(table_, std::move(puts), {});
}

Status DynamoDbAuthoringStore::ClaimVersion(std::string_view slug, int number,
                                            const domain::Course& content,
                                            const Publication& publication, int64_t draft_revision,
                                            const Document& document) {
  const VersionInfo info = MakeVersionInfo(number, content, publication, draft_revision);
  Item item = Key(CoursePartition(slug), VersionSk(number));
  item["number"] = attr::N(static_cast<int64_t>(number));
  SetText(item, "published_by", info.published_by);
  item["published_at"] = attr::N(info.published_at);
  SetText(item, "source", info.source);
  item["draft_revision"] = attr::N(info.draft_revision);
  SetText(item, "title", info.title);
  item["lesson_count"] = attr::N(static_cast<int64_t>(info.lesson_count));
  item["exercise_count"] = attr::N(static_cast<int64_t>(info.exercise_count));
  item["doc"] = attr::S(document.id);
  item["parts"] = attr::N(static_cast<int64_t>(document.parts));
  Result<json::object> put =
      client_->Call("PutItem", json::object{{"TableName", table_},
                                            {"Item", std::move(item)},
                                            {"ConditionExpression", "attribute_not_exists(pk)"}});
  if (!put.ok()) return std::move(put).error();
  return Status::Ok();
}

Result<bool> DynamoDbAuthoringStore::ClearOrphanVersion(std::string_view slug, int number,
                                                        int64_t now) {
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(CoursePartition(slug), VersionSk(number)), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return true;  // gone meanwhile: the number may be free again
  const int64_t claimed_at = attr::GetInt(**item, "published_at").value_or(0);
  if (now - claimed_at < kOrphanSeconds) return false;  // a publish that may still finish
  const std::string doc(attr::GetS(**item, "doc").value_or(""));
  Result<json::object> deleted = client_->Call(
      "DeleteItem",
      json::object{{"TableName", table_},
                   {"Key", Key(CoursePartition(slug), VersionSk(number))},
                   {"ConditionExpression", "doc = :doc"},
                   {"ExpressionAttributeValues", json::object{{":doc", attr::S(doc)}}}});
  if (!deleted.ok() && !IsConditionFailure(deleted.error())) return std::move(deleted).error();
  log::Warn("removed a version claimed by a publish that never finished",
            {{"course", slug}, {"version", number}});
  DeleteDocument(slug, {doc, static_cast<int>(attr::GetInt(**item, "parts").value_or(0))});
  return true;
}

Status DynamoDbAuthoringStore::WriteOwnerIndex(std::string_view slug,
                                               const std::vector<std::string>& owners,
                                               const std::vector<std::string>& removed) {
  std::vector<Item> puts;
  for (const std::string& owner : owners) {
    Item item = Key(OwnerPartition(owner), CourseSk(slug));
    item["slug"] = attr::S(slug);
    puts.push_back(std::move(item));
  }
  std::vector<Item> deletes;
  for (const std::string& owner : removed) {
    if (std::find(owners.begin(), owners.end(), owner) == owners.end()) {
      deletes.push_back(Key(OwnerPartition(owner), CourseSk(slug)));
    }
  }
  return client_->BatchWrite(table_, std::move(puts), std::move(deletes));
}

Result<AuthoredCourse> DynamoDbAuthoringStore::CreateCourse(
    const domain::Course& draft, const std::vector<std::string>& owners, int64_t now,
    const std::optional<Publication>& publish) {
  if (Status s = CheckCourseDocument(draft.slug, draft); !s.ok()) return std::move(s).error();
  const std::string& slug = draft.slug;
  const Error taken = Error::Conflict("course " + Quoted(slug) + " already exists");
  // Checked first so that a taken slug costs nothing more; the conditional put below decides.
  Result<std::optional<Item>> existing =
      client_->GetItem(table_, Key(kAuthoring, CourseSk(slug)), true);
  if (!existing.ok()) return std::move(existing).error();
  if (*existing) return taken;

  const std::string text = EncodeCourse(draft);
  Result<Document> document = WriteDocument(slug, text);
  if (!document.ok()) return std::move(document).error();
  std::optional<Document> version_document;
  auto cleanup = [&] {
    DeleteDocument(slug, *document);
    if (version_document) DeleteDocument(slug, *version_document);
  };
  if (publish) {
    Result<Document> written = WriteDocument(slug, text);
    if (!written.ok()) {
      cleanup();
      return std::move(written).error();
    }
    version_document = std::move(written).value();
    Status claimed = AddExerciseVersions(slug, *publish, 1);
    if (claimed.ok()) claimed = ClaimVersion(slug, 1, draft, *publish, 1, *version_document);
    if (!claimed.ok() && IsConditionFailure(claimed.error())) {
      // No course item, yet a version 1: left by a create that never finished, or being
      // claimed by one running now.
      Result<bool> cleared = ClearOrphanVersion(slug, 1, publish->published_at);
      if (cleared.ok() && *cleared) {
        claimed = ClaimVersion(slug, 1, draft, *publish, 1, *version_document);
      }
    }
    if (!claimed.ok()) {
      cleanup();
      if (IsConditionFailure(claimed.error())) return taken;
      return std::move(claimed).error();
    }
  }

  AuthoredCourse course;
  course.slug = slug;
  course.title = draft.title;
  course.owners = NormalizeOwners(owners);
  course.revision = 1;
  course.created_at = now;
  course.updated_at = publish ? publish->published_at : now;
  if (publish) {
    course.latest_version = 1;
    course.live_version = 1;
    course.published_revision = 1;
  }
  Item item = Key(kAuthoring, CourseSk(slug));
  item["slug"] = attr::S(slug);
  SetText(item, "title", course.title);
  item["owners"] = attr::S(EncodeStrings(course.owners));
  item["revision"] = attr::N(course.revision);
  item["draft"] = attr::S(document->id);
  item["draft_parts"] = attr::N(static_cast<int64_t>(document->parts));
  item["latest_version"] = attr::N(static_cast<int64_t>(course.latest_version));
  item["live_version"] = attr::N(static_cast<int64_t>(course.live_version.value_or(0)));
  item["published_revision"] = attr::N(course.published_revision);
  item["created_at"] = attr::N(course.created_at);
  item["updated_at"] = attr::N(course.updated_at);
  Result<json::object> put =
      client_->Call("PutItem", json::object{{"TableName", table_},
                                            {"Item", std::move(item)},
                                            {"ConditionExpression", "attribute_not_exists(pk)"}});
  if (!put.ok()) {
    if (publish) {
      (void)client_->Call(
          "DeleteItem",
          json::object{{"TableName", table_}, {"Key", Key(CoursePartition(slug), VersionSk(1))}});
    }
    cleanup();
    if (IsConditionFailure(put.error())) return taken;
    return std::move(put).error();
  }
  if (Status indexed = WriteOwnerIndex(slug, course.owners, {}); !indexed.ok()) {
    log::Warn("course owners not indexed; setting the owners again repairs it",
              {{"course", slug}, {"error", indexed.error().message}});
  }
  return course;
}

Result<AuthoredCourse> DynamoDbAuthoringStore::GetCourse(std::string_view slug) {
  Result<Meta> meta = LoadMeta(slug);
  if (!meta.ok()) return std::move(meta).error();
  return std::move(meta->course);
}

Result<Draft> DynamoDbAuthoringStore::GetDraft(std::string_view slug) {
  for (int round = 0; round < kReadRounds; ++round) {
    Result<Meta> meta = LoadMeta(slug);
    if (!meta.ok()) return std::move(meta).error();
    Result<std::string> text = ReadDocument(slug, meta->draft);
    if (!text.ok()) {
      if (text.error().type == kDocumentGone) continue;
      return std::move(text).error();
    }
    Result<domain::Course> content = DecodeCourse(*text);
    if (!content.ok()) {
      return Error::Internal("stored draft of " + Quoted(slug) +
                             " does not decode: " + content.error().message);
    }
    return Draft{std::move(meta->course), std::move(content).value()};
  }
  return Error::Unavailable("the draft of course " + Quoted(slug) +
                            " kept changing while it was read; try again");
}

Result<std::vector<AuthoredCourse>> DynamoDbAuthoringStore::ListCourses(std::string_view owner,
                                                                        std::string_view after_slug,
                                                                        int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  std::vector<AuthoredCourse> courses;
  if (owner.empty()) {
    // Only course items live in the AUTHORING partition.
    Result<json::object> page = client_->Call(
        "Query", json::object{{"TableName", table_},
                              {"KeyConditionExpression", "pk = :pk AND sk > :after"},
                              {"ExpressionAttributeValues",
                               json::object{{":pk", attr::S(kAuthoring)},
                                            {":after", attr::S(CourseSk(after_slug))}}},
                              {"ConsistentRead", true},
                              {"Limit", limit}});
    if (!page.ok()) return std::move(page).error();
    if (const json::value* items = page->if_contains("Items"); items && items->is_array()) {
      for (const json::value& item : items->get_array()) {
        if (!item.is_object()) continue;
        Result<AuthoredCourse> course = ReadCourseItem(item.get_object());
        if (!course.ok()) return std::move(course).error();
        courses.push_back(std::move(course).value());
      }
    }
    return courses;
  }
  // The owner's index entries, then their course items; entries the course no longer backs
  // (an owner removed while the index was being updated) are dropped.
  Result<std::vector<Item>> entries = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND sk > :after"},
      {"ExpressionAttributeValues", json::object{{":pk", attr::S(OwnerPartition(owner))},
                                                 {":after", attr::S(CourseSk(after_slug))}}},
      {"ConsistentRead", true}});
  if (!entries.ok()) return std::move(entries).error();
  std::vector<Item> keys;
  for (const Item& entry : *entries) {
    keys.push_back(Key(kAuthoring, attr::GetS(entry, "sk").value_or("")));
  }
  if (keys.empty()) return courses;
  Result<std::vector<Item>> items = client_->BatchGet(table_, std::move(keys), true);
  if (!items.ok()) return std::move(items).error();
  for (const Item& item : *items) {
    Result<AuthoredCourse> course = ReadCourseItem(item);
    if (!course.ok()) return std::move(course).error();
    const std::vector<std::string>& owners = course->owners;
    if (std::find(owners.begin(), owners.end(), owner) == owners.end()) continue;
    courses.push_back(std::move(course).value());
  }
  std::sort(courses.begin(), courses.end(),
            [](const AuthoredCourse& a, const AuthoredCourse& b) { return a.slug < b.slug; });
  if (courses.size() > static_cast<size_t>(limit)) courses.resize(static_cast<size_t>(limit));
  return courses;
}

Result<AuthoredCourse> DynamoDbAuthoringStore::SaveDraft(std::string_view slug,
                                                         const domain::Course& draft,
                                                         int64_t expected_revision, int64_t now) {
  if (Status s = CheckCourseDocument(slug, draft); !s.ok()) return std::move(s).error();
  Result<Meta> before = LoadMeta(slug);
  if (!before.ok()) return std::move(before).error();
  if (before->course.revision != expected_revision) {
    return StaleRevision(slug, expected_revision, before->course.revision);
  }
  Result<Document> document = WriteDocument(slug, EncodeCourse(draft));
  if (!document.ok()) return std::move(document).error();
  json::object values{{":expected", attr::N(expected_revision)},
                      {":one", attr::N(int64_t{1})},
                      {":draft", attr::S(document->id)},
                      {":parts", attr::N(static_cast<int64_t>(document->parts))},
                      {":now", attr::N(now)}};
  std::string update =
      "SET revision = revision + :one, draft = :draft, draft_parts = :parts, updated_at = :now";
  if (draft.title.empty()) {
    update += " REMOVE title";
  } else {
    update += ", title = :title";
    values[":title"] = attr::S(draft.title);
  }
  Result<json::object> updated =
      client_->Call("UpdateItem", json::object{{"TableName", table_},
                                               {"Key", Key(kAuthoring, CourseSk(slug))},
                                               {"UpdateExpression", update},
                                               {"ConditionExpression", "revision = :expected"},
                                               {"ExpressionAttributeValues", std::move(values)},
                                               {"ReturnValues", "ALL_NEW"}});
  if (!updated.ok()) {
    DeleteDocument(slug, *document);
    if (!IsConditionFailure(updated.error())) return std::move(updated).error();
    Result<Meta> now_meta = LoadMeta(slug);
    if (!now_meta.ok()) return std::move(now_meta).error();
    return StaleRevision(slug, expected_revision, now_meta->course.revision);
  }
  // The previous document is unreachable now.
  if (before->draft.id != document->id) DeleteDocument(slug, before->draft);
  const Item* attributes = Attributes(*updated);
  if (attributes == nullptr) return Error::Internal("DynamoDB UpdateItem returned no attributes");
  return ReadCourseItem(*attributes);
}

Result<AuthoredCourse> DynamoDbAuthoringStore::SetOwners(std::string_view slug,
                                                         const std::vector<std::string>& owners,
                                                         int64_t now) {
  const std::vector<std::string> normal = NormalizeOwners(owners);
  Result<json::object> updated = client_->Call(
      "UpdateItem", json::object{{"TableName", table_},
                                 {"Key", Key(kAuthoring, CourseSk(slug))},
                                 {"UpdateExpression", "SET owners = :owners, updated_at = :now"},
                                 {"ConditionExpression", "attribute_exists(pk)"},
                                 {"ExpressionAttributeValues",
                                  json::object{{":owners", attr::S(EncodeStrings(normal))},
                                               {":now", attr::N(now)}}},
                                 {"ReturnValues", "ALL_OLD"}});
  if (!updated.ok()) {
    if (IsConditionFailure(updated.error())) return CourseNotFound(slug);
    return std::move(updated).error();
  }
  const Item* old = Attributes(*updated);
  if (old == nullptr) return Error::Internal("DynamoDB UpdateItem returned no attributes");
  Result<AuthoredCourse> course = ReadCourseItem(*old);
  if (!course.ok()) return std::move(course).error();
  if (Status indexed = WriteOwnerIndex(slug, normal, course->owners); !indexed.ok()) {
    return indexed.error();
  }
  course->owners = normal;
  course->updated_at = now;
  return course;
}

Result<AuthoredCourse> DynamoDbAuthoringStore::Publish(std::string_view slug,
                                                       const domain::Course& content,
                                                       int64_t expected_revision,
                                                       bool replace_draft,
                                                       const Publication& publication) {
  if (Status s = CheckCourseDocument(slug, content); !s.ok()) return std::move(s).error();
  const std::string text = EncodeCourse(content);
  Result<Document> version_document = WriteDocument(slug, text);
  if (!version_document.ok()) return std::move(version_document).error();
  std::optional<Document> draft_document;
  if (replace_draft) {
    Result<Document> written = WriteDocument(slug, text);
    if (!written.ok()) {
      DeleteDocument(slug, *version_document);
      return std::move(written).error();
    }
    draft_document = std::move(written).value();
  }
  auto cleanup = [&] {
    DeleteDocument(slug, *version_document);
    if (draft_document) DeleteDocument(slug, *draft_document);
  };

  for (int attempt = 0; attempt < kPublishAttempts; ++attempt) {
    Result<Meta> before = LoadMeta(slug);
    if (!before.ok()) {
      cleanup();
      return std::move(before).error();
    }
    const AuthoredCourse& course = before->course;
    if (course.revision != expected_revision) {
      cleanup();
      return StaleRevision(slug, expected_revision, course.revision);
    }
    const int number = course.latest_version + 1;
    const int64_t revision_after = replace_draft ? expected_revision + 1 : expected_revision;
    Status claimed = AddExerciseVersions(slug, publication, number);
    if (claimed.ok()) {
      claimed = ClaimVersion(slug, number, content, publication, revision_after, *version_document);
    }
    if (!claimed.ok()) {
      if (IsConditionFailure(claimed.error())) {
        // Another publish holds the number: it finishes (the next round sees the course moved
        // on) or it died (its claim is cleared once old enough).
        Result<bool> cleared = ClearOrphanVersion(slug, number, publication.published_at);
        if (!cleared.ok()) {
          cleanup();
          return std::move(cleared).error();
        }
        continue;
      }
      cleanup();
      return claimed.error();
    }

    json::object values{{":expected", attr::N(expected_revision)},
                        {":previous", attr::N(static_cast<int64_t>(course.latest_version))},
                        {":version", attr::N(static_cast<int64_t>(number))},
                        {":published", attr::N(revision_after)},
                        {":now", attr::N(publication.published_at)}};
    std::string update =
        "SET latest_version = :version, live_version = :version, "
        "published_revision = :published, updated_at = :now";
    if (draft_document) {
      update += ", revision = :published, draft = :draft, draft_parts = :parts";
      values[":draft"] = attr::S(draft_document->id);
      values[":parts"] = attr::N(static_cast<int64_t>(draft_document->parts));
      if (content.title.empty()) {
        update += " REMOVE title";
      } else {
        update += ", title = :title";
        values[":title"] = attr::S(content.title);
      }
    }
    Result<json::object> updated = client_->Call(
        "UpdateItem",
        json::object{{"TableName", table_},
                     {"Key", Key(kAuthoring, CourseSk(slug))},
                     {"UpdateExpression", update},
                     {"ConditionExpression", "revision = :expected AND latest_version = :previous"},
                     {"ExpressionAttributeValues", std::move(values)},
                     {"ReturnValues", "ALL_NEW"}});
    if (updated.ok()) {
      if (draft_document) DeleteDocument(slug, before->draft);
      const Item* attributes = Attributes(*updated);
      if (attributes == nullptr) {
        return Error::Internal("DynamoDB UpdateItem returned no attributes");
      }
      return ReadCourseItem(*attributes);
    }
    // The course moved on after we read it: the version we claimed never happened.
    (void)client_->Call("DeleteItem",
                        json::object{{"TableName", table_},
                                     {"Key", Key(CoursePartition(slug), VersionSk(number))}});
    if (!IsConditionFailure(updated.error())) {
      cleanup();
      return std::move(updated).error();
    }
  }
  cleanup();
  return Error::Unavailable("publishing course " + Quoted(slug) +
                            ": other writers kept publishing it; try again");
}

Result<AuthoredCourse> DynamoDbAuthoringStore::SetLiveVersion(std::string_view slug,
                                                              std::optional<int> version,
                                                              int64_t now) {
  if (version && *version < 1) return NoVersion(slug, *version);
  const int64_t live = version.value_or(0);
  Result<json::object> updated = client_->Call(
      "UpdateItem",
      json::object{{"TableName", table_},
                   {"Key", Key(kAuthoring, CourseSk(slug))},
                   {"UpdateExpression", "SET live_version = :live, updated_at = :now"},
                   {"ConditionExpression", "attribute_exists(pk) AND latest_version >= :live"},
                   {"ExpressionAttributeValues",
                    json::object{{":live", attr::N(live)}, {":now", attr::N(now)}}},
                   {"ReturnValues", "ALL_NEW"}});
  if (!updated.ok()) {
    if (!IsConditionFailure(updated.error())) return std::move(updated).error();
    Result<Meta> meta = LoadMeta(slug);
    if (!meta.ok()) return std::move(meta).error();
    return NoVersion(slug, static_cast<int>(live));
  }
  const Item* attributes = Attributes(*updated);
  if (attributes == nullptr) return Error::Internal("DynamoDB UpdateItem returned no attributes");
  return ReadCourseItem(*attributes);
}

Result<std::vector<VersionInfo>> DynamoDbAuthoringStore::ListVersions(std::string_view slug) {
  Result<Meta> meta = LoadMeta(slug);
  if (!meta.ok()) return std::move(meta).error();
  Result<std::vector<Item>> items = client_->QueryAll(json::object{
      {"TableName", table_},
      {"KeyConditionExpression", "pk = :pk AND begins_with(sk, :version)"},
      {"ExpressionAttributeValues",
       json::object{{":pk", attr::S(CoursePartition(slug))}, {":version", attr::S("VERSION#")}}},
      {"ConsistentRead", true},
      {"ScanIndexForward", false}});
  if (!items.ok()) return std::move(items).error();
  std::vector<VersionInfo> versions;
  for (const Item& item : *items) {
    VersionInfo info;
    info.number = static_cast<int>(attr::GetInt(item, "number").value_or(0));
    // A version a publish is still claiming, or claimed and lost, did not happen (yet).
    if (info.number < 1 || info.number > meta->course.latest_version) continue;
    info.published_by = std::string(attr::GetS(item, "published_by").value_or(""));
    info.published_at = attr::GetInt(item, "published_at").value_or(0);
    info.source = std::string(attr::GetS(item, "source").value_or(""));
    info.draft_revision = attr::GetInt(item, "draft_revision").value_or(0);
    info.title = std::string(attr::GetS(item, "title").value_or(""));
    info.lesson_count = static_cast<int>(attr::GetInt(item, "lesson_count").value_or(0));
    info.exercise_count = static_cast<int>(attr::GetInt(item, "exercise_count").value_or(0));
    versions.push_back(std::move(info));
  }
  return versions;
}

Result<domain::Course> DynamoDbAuthoringStore::GetVersion(std::string_view slug, int version) {
  Result<Meta> meta = LoadMeta(slug);
  if (!meta.ok()) return std::move(meta).error();
  if (version < 1 || version > meta->course.latest_version) return NoVersion(slug, version);
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(CoursePartition(slug), VersionSk(version)), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return NoVersion(slug, version);
  const Document document{std::string(attr::GetS(**item, "doc").value_or("")),
                          static_cast<int>(attr::GetInt(**item, "parts").value_or(0))};
  Result<std::string> text = ReadDocument(slug, document);
  if (!text.ok()) {
    if (text.error().type != kDocumentGone) return std::move(text).error();
    return Error::Internal("version " + std::to_string(version) + " of course " + Quoted(slug) +
                           " has lost parts of its document");
  }
  Result<domain::Course> content = DecodeCourse(*text);
  if (!content.ok()) {
    return Error::Internal("stored version " + std::to_string(version) + " of " + Quoted(slug) +
                           " does not decode: " + content.error().message);
  }
  return content;
}

Result<ExerciseVersion> DynamoDbAuthoringStore::GetExerciseVersion(std::string_view slug,
                                                                   std::string_view fingerprint) {
  Result<std::optional<Item>> item =
      client_->GetItem(table_, Key(CoursePartition(slug), ExerciseVersionSk(fingerprint)), true);
  if (!item.ok()) return std::move(item).error();
  if (!*item) {
    return Error::NotFound("course " + Quoted(slug) + " published no exercise version " +
                           Quoted(fingerprint));
  }
  Result<domain::Exercise> exercise = DecodeExercise(attr::GetS(**item, "definition").value_or(""));
  if (!exercise.ok()) {
    return Error::Internal("stored exercise version " + Quoted(fingerprint) +
                           " does not decode: " + exercise.error().message);
  }
  return ExerciseVersion{std::string(fingerprint), std::move(exercise).value(),
                         static_cast<int>(attr::GetInt(**item, "first_version").value_or(0)),
                         attr::GetInt(**item, "published_at").value_or(0)};
}

Status DynamoDbAuthoringStore::Ping() {
  Result<json::object> item = client_->Probe(
      "GetItem", json::object{{"TableName", table_}, {"Key", Key(kAuthoring, "#PING")}});
  if (!item.ok()) return std::move(item).error();
  return Status::Ok();
}

}  // namespace practica::store::dynamodb
