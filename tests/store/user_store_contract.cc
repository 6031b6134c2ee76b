#include "user_store_contract.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <latch>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace practica::store {

// Readable failure messages for the port's value types.
void PrintTo(const SessionInfo& session, std::ostream* os) {
  *os << "{family " << session.family_id << ", created " << session.created_at << ", last used "
      << session.last_used_at << ", expires " << session.expires_at << ", agent \""
      << session.user_agent << "\"" << (session.revoked ? ", revoked}" : "}");
}

void PrintTo(const TotpState& state, std::ostream* os) {
  *os << "{secret \"" << state.sealed_secret << "\", pending \"" << state.sealed_pending_secret
      << "\", last step " << state.last_used_step << ", codes left " << state.recovery_codes_left
      << "}";
}

namespace testing {

void PrintTo(const UserStoreAdapter& adapter, std::ostream* os) { *os << adapter.name; }

std::string UserAdapterName(const ::testing::TestParamInfo<UserStoreAdapter>& info) {
  return info.param.name;
}

NewUser MakeNewUser(const std::string& id, const std::string& email,
                    const std::string& display_name) {
  NewUser user;
  user.id = id;
  user.email = email;
  user.display_name = display_name;
  user.role = domain::Role::kLearner;
  user.time_zone = "Europe/London";
  user.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$salt-of-" + id + "$hash";
  user.created_at = 1'700'000'000;
  return user;
}

RefreshToken MakeToken(const std::string& hash, const std::string& family,
                       const std::string& user_id, int64_t issued_at, int64_t expires_at) {
  RefreshToken token;
  token.token_hash = hash;
  token.family_id = family;
  token.user_id = user_id;
  token.issued_at = issued_at;
  token.expires_at = expires_at;
  token.mfa = false;
  token.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
  return token;
}

void UserStoreContractTest::SetUp() {
  harness_ = GetParam().make_empty();
  ASSERT_NE(harness_, nullptr) << "the " << GetParam().name << " harness could not be built";
}

namespace {

using domain::Role;
using domain::User;

constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kDay = int64_t{24} * 60 * 60;

// Creates a user and returns what the store answered; a failure is reported and gives {}.
User Create(UserStore& store, const NewUser& user) {
  Result<User> created = store.CreateUser(user);
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? *created : User{};
}

User CreateNamed(UserStore& store, const std::string& id, const std::string& email,
                 const std::string& display_name = "Ada Lovelace") {
  return Create(store, MakeNewUser(id, email, display_name));
}

// The token that replaces `old` in a rotation at `now`.
RefreshToken Next(const std::string& hash, const std::string& family, const std::string& user_id,
                  int64_t now) {
  return MakeToken(hash, family, user_id, now, now + 30 * kDay);
}

RotateOutcome Rotate(UserStore& store, const std::string& old_hash, const RefreshToken& next,
                     int64_t now) {
  Result<RotateResult> rotated = store.RotateRefreshToken(old_hash, next, now);
  EXPECT_TRUE(rotated.ok()) << rotated.error().message;
  return rotated.ok() ? rotated->outcome : RotateOutcome::kRejected;
}

std::optional<std::string> Family(UserStore& store, const std::string& token_hash) {
  Result<std::optional<std::string>> family = store.FamilyOf(token_hash);
  EXPECT_TRUE(family.ok()) << family.error().message;
  return family.ok() ? *family : std::nullopt;
}

std::vector<SessionInfo> Sessions(UserStore& store, const std::string& user_id) {
  Result<std::vector<SessionInfo>> sessions = store.ListSessions(user_id);
  EXPECT_TRUE(sessions.ok()) << sessions.error().message;
  return sessions.ok() ? *sessions : std::vector<SessionInfo>{};
}

const SessionInfo* SessionOf(const std::vector<SessionInfo>& sessions, const std::string& family) {
  const auto it = std::find_if(sessions.begin(), sessions.end(),
                               [&](const SessionInfo& s) { return s.family_id == family; });
  return it == sessions.end() ? nullptr : &*it;
}

std::vector<std::string> Emails(const std::vector<User>& users) {
  std::vector<std::string> emails;
  emails.reserve(users.size());
  for (const User& user : users) emails.push_back(user.email);
  return emails;
}

// Every user matching `query`, walking the pages of `limit`; checks each page's size.
std::vector<User> ListAll(UserStore& store, std::string_view query, int limit, int* pages) {
  std::vector<User> users;
  std::string cursor;
  *pages = 0;
  while (true) {
    Result<UserPage> page = store.ListUsers(query, cursor, limit);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) return users;
    ++*pages;
    EXPECT_LE(static_cast<int>(page->items.size()), limit);
    users.insert(users.end(), page->items.begin(), page->items.end());
    if (!page->next_cursor) return users;
    EXPECT_EQ(static_cast<int>(page->items.size()), limit) << "a short page must be the last";
    EXPECT_FALSE(page->next_cursor->empty());
    if (*pages > 100) {
      ADD_FAILURE() << "pagination does not end";
      return users;
    }
    cursor = *page->next_cursor;
  }
}

std::vector<std::string> Search(UserStore& store, std::string_view query) {
  int pages = 0;
  return Emails(ListAll(store, query, kMaxUserPageSize, &pages));
}

// Users ------------------------------------------------------------------------------------------

TEST_P(UserStoreContractTest, CreatedUsersCanBeReadBack) {
  NewUser input = MakeNewUser("usr_ada", "Ada@Example.com", "Ada Lovelace");
  input.role = Role::kInstructor;
  Result<User> created = store().CreateUser(input);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->id, "usr_ada");
  EXPECT_EQ(created->email, "Ada@Example.com");  // kept as given
  EXPECT_EQ(created->display_name, "Ada Lovelace");
  EXPECT_EQ(created->role, Role::kInstructor);
  EXPECT_EQ(created->time_zone, "Europe/London");
  EXPECT_EQ(created->created_at, kNow);
  EXPECT_EQ(created->last_login_at, 0);
  EXPECT_FALSE(created->disabled);
  EXPECT_FALSE(created->totp_enabled);

  Result<User> got = store().GetUser("usr_ada");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, *created);
  Result<std::string> hash = store().GetPasswordHash("usr_ada");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(*hash, input.password_hash);
  EXPECT_EQ(*store().CountUsers(), 1);
}

TEST_P(UserStoreContractTest, UnknownUsersAreNotFound) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  EXPECT_EQ(store().GetUser("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindUserByEmail("nobody@example.com").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetPasswordHash("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().SetPasswordHash("usr_nobody", "$argon2id$x").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().UpdateUser("usr_nobody", {.display_name = "X"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().RecordLogin("usr_nobody", kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteUser("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().ListSessions("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().RevokeUserSessions("usr_nobody", "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetTotp("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().SetPendingTotp("usr_nobody", "sealed").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().EnableTotp("usr_nobody", 1, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DisableTotp("usr_nobody").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().UseTotpStep("usr_nobody", 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().UseRecoveryCode("usr_nobody", "code").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().AddRefreshToken(MakeToken("t1", "f1", "usr_nobody")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(*store().CountUsers(), 1);
}

TEST_P(UserStoreContractTest, FindsUsersByEmailIgnoringCaseAndSurroundingSpace) {
  const User ada = CreateNamed(store(), "usr_ada", "Ada.Lovelace@Example.COM");
  for (const char* email : {"Ada.Lovelace@Example.COM", "ada.lovelace@example.com",
                            "  ADA.LOVELACE@EXAMPLE.COM\t", "\nada.lovelace@example.com "}) {
    Result<User> found = store().FindUserByEmail(email);
    ASSERT_TRUE(found.ok()) << email << ": " << found.error().message;
    EXPECT_EQ(*found, ada) << email;
  }
  EXPECT_EQ(store().FindUserByEmail("ada.lovelace@example.co").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindUserByEmail("").error().code, ErrorCode::kNotFound);
}

TEST_P(UserStoreContractTest, ATakenEmailIsAConflictWhateverItsCase) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  Result<User> again = store().CreateUser(MakeNewUser("usr_other", " ADA@Example.com "));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message.find("ada@"), std::string::npos)
      << "no email in messages: " << again.error().message;

  Result<User> same_id = store().CreateUser(MakeNewUser("usr_ada", "grace@example.com"));
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error().code, ErrorCode::kConflict);

  EXPECT_EQ(*store().CountUsers(), 1);
  EXPECT_EQ(store().GetUser("usr_other").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindUserByEmail("grace@example.com").error().code, ErrorCode::kNotFound);
}

TEST_P(UserStoreContractTest, IncompleteNewUsersAreInvalid) {
  NewUser no_id = MakeNewUser("", "a@example.com");
  NewUser blank_email = MakeNewUser("usr_a", " \t ");
  NewUser no_hash = MakeNewUser("usr_b", "b@example.com");
  no_hash.password_hash.clear();
  for (const NewUser& user : {no_id, blank_email, no_hash}) {
    Result<User> created = store().CreateUser(user);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::kInvalid);
  }
  EXPECT_EQ(*store().CountUsers(), 0);
}

TEST_P(UserStoreContractTest, PasswordHashesCanBeReplaced) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().SetPasswordHash("usr_ada", "$argon2id$new").ok());
  EXPECT_EQ(*store().GetPasswordHash("usr_ada"), "$argon2id$new");
  Status empty = store().SetPasswordHash("usr_ada", "");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(*store().GetPasswordHash("usr_ada"), "$argon2id$new");
}

TEST_P(UserStoreContractTest, UpdatesChangeOnlyTheGivenFields) {
  const User ada = CreateNamed(store(), "usr_ada", "ada@example.com", "Ada");

  Result<User> renamed = store().UpdateUser("usr_ada", {.display_name = "Ada King"});
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  User expected = ada;
  expected.display_name = "Ada King";
  EXPECT_EQ(*renamed, expected);

  Result<User> promoted =
      store().UpdateUser("usr_ada", {.time_zone = "Asia/Tokyo", .role = Role::kAdmin});
  ASSERT_TRUE(promoted.ok()) << promoted.error().message;
  expected.time_zone = "Asia/Tokyo";
  expected.role = Role::kAdmin;
  EXPECT_EQ(*promoted, expected);

  Result<User> unchanged = store().UpdateUser("usr_ada", {});
  ASSERT_TRUE(unchanged.ok()) << unchanged.error().message;
  EXPECT_EQ(*unchanged, expected);
  EXPECT_EQ(*store().GetUser("usr_ada"), expected);
  EXPECT_EQ(*store().GetPasswordHash("usr_ada"), MakeNewUser("usr_ada", "").password_hash);

  ASSERT_TRUE(store().RecordLogin("usr_ada", kNow + 60).ok());
  expected.last_login_at = kNow + 60;
  EXPECT_EQ(*store().GetUser("usr_ada"), expected);
}

TEST_P(UserStoreContractTest, DisablingAUserRevokesItsSessions) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("ada-1", "ada-phone", "usr_ada")).ok());
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("ada-2", "ada-laptop", "usr_ada")).ok());
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("bob-1", "bob-phone", "usr_bob")).ok());

  Result<User> disabled = store().UpdateUser("usr_ada", {.disabled = true});
  ASSERT_TRUE(disabled.ok()) << disabled.error().message;
  EXPECT_TRUE(disabled->disabled);
  EXPECT_TRUE(store().GetUser("usr_ada")->disabled);
  for (const SessionInfo& session : Sessions(store(), "usr_ada")) {
    EXPECT_TRUE(session.revoked) << session.family_id;
  }
  EXPECT_EQ(Sessions(store(), "usr_ada").size(), 2U);
  EXPECT_EQ(Rotate(store(), "ada-1", Next("ada-1b", "ada-phone", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRejected);

  // Enabling the account again does not bring the sessions back.
  ASSERT_TRUE(store().UpdateUser("usr_ada", {.disabled = false}).ok());
  EXPECT_FALSE(store().GetUser("usr_ada")->disabled);
  EXPECT_EQ(Rotate(store(), "ada-2", Next("ada-2b", "ada-laptop", "usr_ada", kNow + 2), kNow + 2),
            RotateOutcome::kRejected);

  // Someone else's sessions are untouched.
  EXPECT_FALSE(Sessions(store(), "usr_bob").at(0).revoked);
  EXPECT_EQ(Rotate(store(), "bob-1", Next("bob-2", "bob-phone", "usr_bob", kNow + 3), kNow + 3),
            RotateOutcome::kRotated);
}

TEST_P(UserStoreContractTest, ADisabledUsersTokensAreRejectedEvenBeforeRevocation) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().UpdateUser("usr_ada", {.disabled = true}).ok());
  // A session started after the account was disabled (a sign-in racing the admin) cannot refresh.
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("late", "late-family", "usr_ada")).ok());
  EXPECT_EQ(Rotate(store(), "late", Next("late-2", "late-family", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRejected);
  EXPECT_EQ(Family(store(), "late-2"), std::nullopt);
}

// Listing ----------------------------------------------------------------------------------------

TEST_P(UserStoreContractTest, ListingWalksEveryPageInEmailOrder) {
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    // Created out of order, in mixed case: the order is that of the normalised email.
    std::string local(1, static_cast<char>('a' + (i * 7) % 25));
    local += std::to_string(i);
    std::string email = local + "@example.org";
    if (i % 2 == 1) {
      for (char& c : email) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CreateNamed(store(), "usr_" + std::to_string(i), email, "Learner " + std::to_string(i));
    expected.push_back(email);
  }
  std::sort(expected.begin(), expected.end(), [](const std::string& a, const std::string& b) {
    return domain::NormalizeEmail(a) < domain::NormalizeEmail(b);
  });

  for (const int limit : {1, 5, 7, 24, 25, 100}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    int pages = 0;
    const std::vector<User> users = ListAll(store(), "", limit, &pages);
    EXPECT_EQ(Emails(users), expected);
    EXPECT_EQ(pages, (25 + limit - 1) / limit);
    std::set<std::string> ids;
    for (const User& user : users) EXPECT_TRUE(ids.insert(user.id).second) << user.id;
  }
}

TEST_P(UserStoreContractTest, ListingAnEmptyStoreGivesOneEmptyPage) {
  Result<UserPage> page = store().ListUsers("", "", 10);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST_P(UserStoreContractTest, ListingChecksLimitAndCursor) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  for (const int limit : {0, -1, kMaxUserPageSize + 1}) {
    Result<UserPage> page = store().ListUsers("", "", limit);
    ASSERT_FALSE(page.ok()) << limit;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalid) << limit;
  }
  EXPECT_TRUE(store().ListUsers("", "", kMaxUserPageSize).ok());
  for (const char* cursor : {"not a cursor", "abc", "zz", "%00"}) {
    Result<UserPage> page = store().ListUsers("", cursor, 10);
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalid) << cursor;
  }
  // The cursor is opaque: not the email in clear.
  Result<UserPage> first = store().ListUsers("", "", 1);
  ASSERT_TRUE(first.ok() && first->next_cursor.has_value());
  EXPECT_EQ(first->next_cursor->find("ada"), std::string::npos);
  Result<UserPage> second = store().ListUsers("", *first->next_cursor, 1);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(Emails(second->items), std::vector<std::string>{"bob@example.com"});
  EXPECT_FALSE(second->next_cursor.has_value());
}

TEST_P(UserStoreContractTest, SearchMatchesEmailOrDisplayNameIgnoringCase) {
  CreateNamed(store(), "usr_1", "jane.smith@example.com", "Jane");
  CreateNamed(store(), "usr_2", "jdoe@example.com", "John SMITH");
  CreateNamed(store(), "usr_3", "BlackSmithing@example.net", "Forge");
  CreateNamed(store(), "usr_4", "other@example.com", "Other Person");

  const std::vector<std::string> smiths = {"BlackSmithing@example.net", "jane.smith@example.com",
                                           "jdoe@example.com"};
  EXPECT_EQ(Search(store(), "smith"), smiths);
  EXPECT_EQ(Search(store(), "SmItH"), smiths);
  EXPECT_EQ(Search(store(), "person"), std::vector<std::string>{"other@example.com"});
  EXPECT_EQ(Search(store(), "@EXAMPLE.COM").size(), 3U);
  EXPECT_EQ(Search(store(), "").size(), 4U);
  EXPECT_TRUE(Search(store(), "nobody").empty());

  int pages = 0;
  EXPECT_EQ(Emails(ListAll(store(), "smith", 2, &pages)), smiths);  // search across pages
  EXPECT_EQ(pages, 2);
}

TEST_P(UserStoreContractTest, SearchTreatsWildcardsAsPlainCharacters) {
  CreateNamed(store(), "usr_1", "a_c@example.com", "Plain One");
  CreateNamed(store(), "usr_2", "abc@example.com", "Plain Two");
  CreateNamed(store(), "usr_3", "x%y@example.com", "Plain Three");
  CreateNamed(store(), "usr_4", "xzy@example.com", "100% sure");
  CreateNamed(store(), "usr_5", "under@example.com", "snake_case");
  CreateNamed(store(), "usr_6", "back@example.com", "back\\slash");
  CreateNamed(store(), "usr_7", "plain@example.com", "Nothing Special");

  using List = std::vector<std::string>;
  EXPECT_EQ(Search(store(), "_"), (List{"a_c@example.com", "under@example.com"}));
  EXPECT_EQ(Search(store(), "a_c"), (List{"a_c@example.com"}));
  EXPECT_EQ(Search(store(), "%"), (List{"x%y@example.com", "xzy@example.com"}));
  EXPECT_EQ(Search(store(), "x%y"), (List{"x%y@example.com"}));
  EXPECT_EQ(Search(store(), "0% S"), (List{"xzy@example.com"}));
  EXPECT_EQ(Search(store(), "\\"), (List{"back@example.com"}));
  EXPECT_EQ(Search(store(), "k\\s"), (List{"back@example.com"}));
  EXPECT_TRUE(Search(store(), "%%").empty());
  EXPECT_TRUE(Search(store(), "__").empty());
}

// Deletion ---------------------------------------------------------------------------------------

TEST_P(UserStoreContractTest, DeletingAUserRemovesEverythingAttached) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("ada-1", "ada-phone", "usr_ada")).ok());
  ASSERT_EQ(Rotate(store(), "ada-1", Next("ada-2", "ada-phone", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRotated);
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("bob-1", "bob-phone", "usr_bob")).ok());
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-ada").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 100, {"code-1", "code-2"}).ok());
  ASSERT_TRUE(store().SetPendingTotp("usr_bob", "sealed-bob").ok());
  ASSERT_TRUE(store().EnableTotp("usr_bob", 100, {"code-1"}).ok());

  ASSERT_TRUE(store().DeleteUser("usr_ada").ok());

  EXPECT_EQ(store().GetUser("usr_ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindUserByEmail("ada@example.com").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().ListSessions("usr_ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetTotp("usr_ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Family(store(), "ada-1"), std::nullopt);
  EXPECT_EQ(Family(store(), "ada-2"), std::nullopt);
  EXPECT_EQ(Rotate(store(), "ada-2", Next("ada-3", "ada-phone", "usr_ada", kNow + 2), kNow + 2),
            RotateOutcome::kRejected);
  EXPECT_EQ(store().DeleteUser("usr_ada").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store().CountUsers(), 1);
  int pages = 0;
  EXPECT_EQ(Emails(ListAll(store(), "", 10, &pages)), std::vector<std::string>{"bob@example.com"});

  // Nothing of the old account comes back with a new account under the same email and id.
  User again = CreateNamed(store(), "usr_ada", "ADA@example.com");
  EXPECT_FALSE(again.totp_enabled);
  EXPECT_TRUE(Sessions(store(), "usr_ada").empty());
  EXPECT_EQ(*store().GetTotp("usr_ada"), TotpState{});
  EXPECT_FALSE(*store().UseRecoveryCode("usr_ada", "code-1"));

  // The other user keeps everything.
  EXPECT_EQ(Family(store(), "bob-1"), "bob-phone");
  EXPECT_EQ(store().GetTotp("usr_bob")->recovery_codes_left, 1);
  EXPECT_TRUE(*store().UseRecoveryCode("usr_bob", "code-1"));
}

// Sessions ---------------------------------------------------------------------------------------

TEST_P(UserStoreContractTest, RotationDetectsReuseAndRevokesTheWholeFamily) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  RefreshToken first = MakeToken("t1", "family-1", "usr_ada");
  first.mfa = true;
  ASSERT_TRUE(store().AddRefreshToken(first).ok());
  EXPECT_EQ(Family(store(), "t1"), "family-1");

  Result<RotateResult> rotated =
      store().RotateRefreshToken("t1", Next("t2", "family-1", "usr_ada", kNow + 60), kNow + 60);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->outcome, RotateOutcome::kRotated);
  EXPECT_EQ(rotated->user_id, "usr_ada");
  EXPECT_TRUE(rotated->mfa);
  EXPECT_EQ(Family(store(), "t2"), "family-1");

  // The family's sign-in decides mfa, not the new token; family and user may be left empty.
  RefreshToken third = Next("t3", "", "", kNow + 120);
  third.mfa = false;
  rotated = store().RotateRefreshToken("t2", third, kNow + 120);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->outcome, RotateOutcome::kRotated);
  EXPECT_TRUE(rotated->mfa);
  EXPECT_EQ(Family(store(), "t3"), "family-1");

  // t1 was exchanged already: someone replays it. The family is revoked.
  Result<RotateResult> reused =
      store().RotateRefreshToken("t1", Next("t4", "family-1", "usr_ada", kNow + 180), kNow + 180);
  ASSERT_TRUE(reused.ok()) << reused.error().message;
  EXPECT_EQ(reused->outcome, RotateOutcome::kReused);
  EXPECT_EQ(reused->user_id, "usr_ada");
  EXPECT_EQ(Family(store(), "t4"), std::nullopt);
  ASSERT_EQ(Sessions(store(), "usr_ada").size(), 1U);
  EXPECT_TRUE(Sessions(store(), "usr_ada")[0].revoked);

  // The newest token of the family is dead too, and stays dead.
  EXPECT_EQ(Rotate(store(), "t3", Next("t5", "family-1", "usr_ada", kNow + 240), kNow + 240),
            RotateOutcome::kRejected);
  EXPECT_EQ(Family(store(), "t5"), std::nullopt);
  EXPECT_TRUE(Sessions(store(), "usr_ada")[0].revoked);
  // A replay of a used token is still reported as reuse.
  EXPECT_EQ(Rotate(store(), "t2", Next("t6", "family-1", "usr_ada", kNow + 300), kNow + 300),
            RotateOutcome::kReused);
}

TEST_P(UserStoreContractTest, ExpiredAndUnknownTokensAreRejectedWithoutChanges) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(
      store().AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow, kNow + 100)).ok());

  EXPECT_EQ(Rotate(store(), "t1", Next("t2", "family-1", "usr_ada", kNow + 100), kNow + 100),
            RotateOutcome::kRejected);  // expired at expires_at
  EXPECT_EQ(Rotate(store(), "t1", Next("t2", "family-1", "usr_ada", kNow + 5000), kNow + 5000),
            RotateOutcome::kRejected);
  EXPECT_EQ(Family(store(), "t2"), std::nullopt);
  EXPECT_FALSE(Sessions(store(), "usr_ada").at(0).revoked);

  Result<RotateResult> unknown =
      store().RotateRefreshToken("no-such-token", Next("t3", "family-1", "usr_ada", kNow), kNow);
  ASSERT_TRUE(unknown.ok()) << unknown.error().message;
  EXPECT_EQ(unknown->outcome, RotateOutcome::kRejected);
  EXPECT_TRUE(unknown->user_id.empty());
  EXPECT_EQ(Family(store(), "t3"), std::nullopt);
  EXPECT_EQ(Family(store(), "no-such-token"), std::nullopt);

  // Just before expiry the token still rotates: nothing above consumed it.
  EXPECT_EQ(Rotate(store(), "t1", Next("t4", "family-1", "usr_ada", kNow + 99), kNow + 99),
            RotateOutcome::kRotated);
}

TEST_P(UserStoreContractTest, ARotationIntoAnotherFamilyOrUserIsInvalid) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("t1", "family-1", "usr_ada")).ok());
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("b1", "family-b", "usr_bob")).ok());

  for (const RefreshToken& next :
       {Next("t2", "family-b", "usr_ada", kNow + 1), Next("t2", "family-1", "usr_bob", kNow + 1),
        Next("", "family-1", "usr_ada", kNow + 1)}) {
    Result<RotateResult> rotated = store().RotateRefreshToken("t1", next, kNow + 1);
    ASSERT_FALSE(rotated.ok());
    EXPECT_EQ(rotated.error().code, ErrorCode::kInvalid);
  }
  // A new token whose hash exists is a conflict; none of these changed anything.
  Result<RotateResult> taken =
      store().RotateRefreshToken("t1", Next("b1", "family-1", "usr_ada", kNow + 1), kNow + 1);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_EQ(taken.error().message.find("b1"), std::string::npos) << taken.error().message;
  EXPECT_EQ(Family(store(), "b1"), "family-b");
  EXPECT_EQ(Family(store(), "t2"), std::nullopt);
  EXPECT_EQ(Rotate(store(), "t1", Next("t2", "family-1", "usr_ada", kNow + 2), kNow + 2),
            RotateOutcome::kRotated);
}

TEST_P(UserStoreContractTest, AddingTokensChecksFamiliesAndHashes) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("hash-secret-1", "family-1", "usr_ada")).ok());

  Status same_family = store().AddRefreshToken(MakeToken("t2", "family-1", "usr_ada"));
  ASSERT_FALSE(same_family.ok());
  EXPECT_EQ(same_family.error().code, ErrorCode::kConflict);
  Status same_hash = store().AddRefreshToken(MakeToken("hash-secret-1", "family-2", "usr_ada"));
  ASSERT_FALSE(same_hash.ok());
  EXPECT_EQ(same_hash.error().code, ErrorCode::kConflict);
  EXPECT_EQ(same_hash.error().message.find("hash-secret-1"), std::string::npos)
      << "no hash in messages: " << same_hash.error().message;
  EXPECT_EQ(Sessions(store(), "usr_ada").size(), 1U);  // family-2 was not started

  for (const RefreshToken& incomplete :
       {MakeToken("", "f", "usr_ada"), MakeToken("t", "", "usr_ada"), MakeToken("t", "f", "")}) {
    Status added = store().AddRefreshToken(incomplete);
    ASSERT_FALSE(added.ok());
    EXPECT_EQ(added.error().code, ErrorCode::kInvalid);
  }
  EXPECT_EQ(Sessions(store(), "usr_ada").size(), 1U);
}

TEST_P(UserStoreContractTest, SessionsListNewestFirstAndFollowRotation) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  RefreshToken phone = MakeToken("p1", "phone", "usr_ada", kNow, kNow + 30 * kDay);
  phone.user_agent = "Phone/1.0";
  RefreshToken laptop = MakeToken("l1", "laptop", "usr_ada", kNow + 10, kNow + 10 + 30 * kDay);
  laptop.user_agent = "Laptop/2.0";
  ASSERT_TRUE(store().AddRefreshToken(phone).ok());
  ASSERT_TRUE(store().AddRefreshToken(laptop).ok());

  EXPECT_EQ(Sessions(store(), "usr_ada"),
            (std::vector<SessionInfo>{
                {"laptop", kNow + 10, kNow + 10, kNow + 10 + 30 * kDay, "Laptop/2.0", false},
                {"phone", kNow, kNow, kNow + 30 * kDay, "Phone/1.0", false}}));

  RefreshToken next = Next("p2", "phone", "usr_ada", kNow + 500);
  next.user_agent = "Changed/9";  // the family keeps its sign-in's user agent
  ASSERT_EQ(Rotate(store(), "p1", next, kNow + 500), RotateOutcome::kRotated);
  EXPECT_EQ(Sessions(store(), "usr_ada"),
            (std::vector<SessionInfo>{
                {"laptop", kNow + 10, kNow + 10, kNow + 10 + 30 * kDay, "Laptop/2.0", false},
                {"phone", kNow, kNow + 500, kNow + 500 + 30 * kDay, "Phone/1.0", false}}));
}

TEST_P(UserStoreContractTest, RevokingAFamilyEndsItForGood) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("a1", "family-a", "usr_ada")).ok());
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("b1", "family-b", "usr_ada")).ok());

  ASSERT_TRUE(store().RevokeFamily("family-a").ok());
  ASSERT_TRUE(store().RevokeFamily("family-a").ok());        // twice: fine
  ASSERT_TRUE(store().RevokeFamily("no-such-family").ok());  // unknown: fine
  EXPECT_EQ(Family(store(), "a1"), "family-a");              // logout still finds it
  EXPECT_EQ(Rotate(store(), "a1", Next("a2", "family-a", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRejected);
  EXPECT_TRUE(SessionOf(Sessions(store(), "usr_ada"), "family-a")->revoked);
  EXPECT_FALSE(SessionOf(Sessions(store(), "usr_ada"), "family-b")->revoked);
  EXPECT_EQ(Rotate(store(), "b1", Next("b2", "family-b", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRotated);
}

TEST_P(UserStoreContractTest, RevokingUserSessionsKeepsTheGivenFamily) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  for (const char* family : {"f1", "f2", "f3"}) {
    ASSERT_TRUE(
        store().AddRefreshToken(MakeToken(std::string(family) + "-t", family, "usr_ada")).ok());
  }
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("bob-t", "bob-f", "usr_bob")).ok());

  ASSERT_TRUE(store().RevokeUserSessions("usr_ada", "f2").ok());
  const std::vector<SessionInfo> sessions = Sessions(store(), "usr_ada");
  EXPECT_TRUE(SessionOf(sessions, "f1")->revoked);
  EXPECT_FALSE(SessionOf(sessions, "f2")->revoked);
  EXPECT_TRUE(SessionOf(sessions, "f3")->revoked);
  EXPECT_EQ(Rotate(store(), "f1-t", Next("f1-u", "f1", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRejected);
  EXPECT_EQ(Rotate(store(), "f2-t", Next("f2-u", "f2", "usr_ada", kNow + 1), kNow + 1),
            RotateOutcome::kRotated);

  // Keeping another user's family keeps nothing of this user's; bob's sessions are untouched.
  ASSERT_TRUE(store().RevokeUserSessions("usr_ada", "bob-f").ok());
  EXPECT_TRUE(SessionOf(Sessions(store(), "usr_ada"), "f2")->revoked);
  EXPECT_FALSE(Sessions(store(), "usr_bob").at(0).revoked);

  ASSERT_TRUE(store().RevokeUserSessions("usr_bob", "").ok());  // empty: all
  EXPECT_TRUE(Sessions(store(), "usr_bob").at(0).revoked);

  // An empty keep_family without any characters behind it (a default string_view) is empty too.
  CreateNamed(store(), "usr_cy", "cy@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("cy-t", "cy-f", "usr_cy")).ok());
  ASSERT_TRUE(store().RevokeUserSessions("usr_cy", std::string_view()).ok());
  EXPECT_TRUE(Sessions(store(), "usr_cy").at(0).revoked);
}

// Second factor ----------------------------------------------------------------------------------

TEST_P(UserStoreContractTest, TotpEnrolmentAndReplayGuard) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  EXPECT_EQ(*store().GetTotp("usr_ada"), TotpState{});

  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-pending").ok());
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"", "sealed-pending", 0, 0}));
  EXPECT_FALSE(store().GetUser("usr_ada")->totp_enabled);

  ASSERT_TRUE(store().EnableTotp("usr_ada", 1000, {"c1", "c2", "c3"}).ok());
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"sealed-pending", "", 1000, 3}));
  EXPECT_TRUE(store().GetUser("usr_ada")->totp_enabled);
  EXPECT_TRUE(store().FindUserByEmail("ada@example.com")->totp_enabled);

  EXPECT_FALSE(*store().UseTotpStep("usr_ada", 1000));  // the enrolment's own code
  EXPECT_FALSE(*store().UseTotpStep("usr_ada", 999));
  EXPECT_TRUE(*store().UseTotpStep("usr_ada", 1001));
  EXPECT_FALSE(*store().UseTotpStep("usr_ada", 1001));
  EXPECT_TRUE(*store().UseTotpStep("usr_ada", 1005));
  EXPECT_FALSE(*store().UseTotpStep("usr_ada", 1003));
  EXPECT_EQ(store().GetTotp("usr_ada")->last_used_step, 1005);
}

TEST_P(UserStoreContractTest, EnablingNeedsAPendingSecretAndValidCodes) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  Status enabled = store().EnableTotp("usr_ada", 10, {"c1"});
  ASSERT_FALSE(enabled.ok());
  EXPECT_EQ(enabled.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*store().GetTotp("usr_ada"), TotpState{});

  EXPECT_EQ(store().SetPendingTotp("usr_ada", "").error().code, ErrorCode::kInvalid);
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed").ok());
  EXPECT_EQ(store().EnableTotp("usr_ada", 10, {"c1", "c1"}).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store().EnableTotp("usr_ada", 10, {"c1", ""}).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"", "sealed", 0, 0}));

  ASSERT_TRUE(store().EnableTotp("usr_ada", 10, {"c1"}).ok());
  // The pending secret was consumed: a second confirmation has nothing to enable.
  EXPECT_EQ(store().EnableTotp("usr_ada", 11, {"c2"}).error().code, ErrorCode::kConflict);
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"sealed", "", 10, 1}));
}

TEST_P(UserStoreContractTest, ReEnrolmentReplacesSecretAndRecoveryCodes) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-1").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 500, {"old-1", "old-2"}).ok());
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-2").ok());
  // While the new secret is pending, the old one stays enabled.
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"sealed-1", "sealed-2", 500, 2}));
  // An older step does not lower the replay guard.
  ASSERT_TRUE(store().EnableTotp("usr_ada", 400, {"new-1"}).ok());
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"sealed-2", "", 500, 1}));
  EXPECT_FALSE(*store().UseRecoveryCode("usr_ada", "old-1"));
  EXPECT_TRUE(*store().UseRecoveryCode("usr_ada", "new-1"));
}

TEST_P(UserStoreContractTest, RecoveryCodesWorkOnce) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  CreateNamed(store(), "usr_bob", "bob@example.com");
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 1, {"c1", "c2"}).ok());

  EXPECT_FALSE(*store().UseRecoveryCode("usr_bob", "c1"));  // another user's code
  EXPECT_TRUE(*store().UseRecoveryCode("usr_ada", "c1"));
  EXPECT_FALSE(*store().UseRecoveryCode("usr_ada", "c1"));
  EXPECT_FALSE(*store().UseRecoveryCode("usr_ada", "c3"));
  EXPECT_EQ(store().GetTotp("usr_ada")->recovery_codes_left, 1);
  EXPECT_TRUE(*store().UseRecoveryCode("usr_ada", "c2"));
  EXPECT_EQ(store().GetTotp("usr_ada")->recovery_codes_left, 0);
}

TEST_P(UserStoreContractTest, DisablingTotpClearsSecretsAndCodes) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-1").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 700, {"c1", "c2"}).ok());
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed-2").ok());

  ASSERT_TRUE(store().DisableTotp("usr_ada").ok());
  EXPECT_EQ(*store().GetTotp("usr_ada"), (TotpState{"", "", 700, 0}));
  EXPECT_FALSE(store().GetUser("usr_ada")->totp_enabled);
  EXPECT_FALSE(*store().UseRecoveryCode("usr_ada", "c1"));
  EXPECT_EQ(store().EnableTotp("usr_ada", 800, {}).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(store().DisableTotp("usr_ada").ok());  // already off: fine
}

// Concurrency ------------------------------------------------------------------------------------

constexpr int kThreads = 50;

// Runs `work(i)` on kThreads threads released together.
template <class Work>
void RaceThreads(Work work) {
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      work(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

TEST_P(UserStoreContractTest, ConcurrentRotationsOfOneTokenLetExactlyOneWin) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().AddRefreshToken(MakeToken("t0", "family", "usr_ada")).ok());

  std::atomic<int> rotated{0};
  std::atomic<int> reused{0};
  std::atomic<int> rejected{0};
  std::atomic<int> failed{0};
  RaceThreads([&](int i) {
    Result<RotateResult> result = store().RotateRefreshToken(
        "t0", Next("t1-" + std::to_string(i), "family", "usr_ada", kNow + 1), kNow + 1);
    if (!result.ok()) {
      ++failed;
    } else if (result->outcome == RotateOutcome::kRotated) {
      ++rotated;
    } else if (result->outcome == RotateOutcome::kReused) {
      ++reused;
    } else {
      ++rejected;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(rotated.load(), 1);
  EXPECT_EQ(rotated + reused + rejected, kThreads);

  int winners = 0;
  std::string winner;
  for (int i = 0; i < kThreads; ++i) {
    if (Family(store(), "t1-" + std::to_string(i)).has_value()) {
      ++winners;
      winner = "t1-" + std::to_string(i);
    }
  }
  EXPECT_EQ(winners, 1);
  if (reused > 0) {
    EXPECT_TRUE(Sessions(store(), "usr_ada").at(0).revoked);
    EXPECT_EQ(Rotate(store(), winner, Next("t2", "family", "usr_ada", kNow + 2), kNow + 2),
              RotateOutcome::kRejected);
  }
}

TEST_P(UserStoreContractTest, ConcurrentUsesOfOneTotpStepLetExactlyOneWin) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 100, {}).ok());

  std::atomic<int> accepted{0};
  std::atomic<int> failed{0};
  RaceThreads([&](int) {
    Result<bool> used = store().UseTotpStep("usr_ada", 101);
    if (!used.ok()) {
      ++failed;
    } else if (*used) {
      ++accepted;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(store().GetTotp("usr_ada")->last_used_step, 101);
}

TEST_P(UserStoreContractTest, ConcurrentUsesOfOneRecoveryCodeLetExactlyOneWin) {
  CreateNamed(store(), "usr_ada", "ada@example.com");
  ASSERT_TRUE(store().SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(store().EnableTotp("usr_ada", 100, {"c1", "c2"}).ok());

  std::atomic<int> accepted{0};
  std::atomic<int> failed{0};
  RaceThreads([&](int) {
    Result<bool> used = store().UseRecoveryCode("usr_ada", "c1");
    if (!used.ok()) {
      ++failed;
    } else if (*used) {
      ++accepted;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(store().GetTotp("usr_ada")->recovery_codes_left, 1);
}

TEST_P(UserStoreContractTest, ConcurrentSignUpsWithOneEmailLetExactlyOneWin) {
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  RaceThreads([&](int i) {
    std::string email = i % 2 == 0 ? "ada@example.com" : "ADA@example.com";
    Result<User> user = store().CreateUser(MakeNewUser("usr_" + std::to_string(i), email));
    if (user.ok()) {
      ++created;
    } else if (user.error().code == ErrorCode::kConflict) {
      ++conflicts;
    }
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(*store().CountUsers(), 1);
}

}  // namespace
}  // namespace testing
}  // namespace practica::store
