// AccountService with the in-memory store, cheap Argon2id parameters and a clock the test moves.
#include "api/account_service.h"

#include <gtest/gtest.h>

#include <set>

#include "auth/totp.h"
#include "store/memory/memory_user_store.h"

namespace practica::api {
namespace {

constexpr std::string_view kPassword = "correct horse battery staple";

class AccountServiceTest : public ::testing::Test {
 protected:
  AccountServiceTest()
      : hasher_(auth::MakeArgon2idHasher({8u << 20, 1})),
        tokens_({{"k1", std::string(32, 'k')}}),
        secrets_(std::string(32, 's')),
        accounts_(users_, *hasher_, tokens_, secrets_, clock_) {}

  SignedIn SignUp(std::string email) {
    SignUpInput input{std::move(email), std::string(kPassword), "Ada", "UTC", "test"};
    auto signed_in = accounts_.SignUp(input);
    EXPECT_TRUE(signed_in.ok()) << (signed_in.ok() ? "" : signed_in.error().message);
    return std::move(signed_in).value();
  }

  http::Principal Who(const SignedIn& s) { return *accounts_.Authenticate(s.access_token); }

  store::memory::MemoryUserStore users_;
  std::unique_ptr<auth::PasswordHasher> hasher_;
  auth::TokenSigner tokens_;
  auth::SecretBox secrets_;
  FakeClock clock_;
  AccountService accounts_;
};

TEST_F(AccountServiceTest, SignUpMakesALearnerWithASession) {
  const SignedIn s = SignUp("ada@example.org");
  EXPECT_EQ(s.user.role, domain::Role::kLearner);
  EXPECT_EQ(s.expires_in, auth::kAccessTokenSeconds);
  EXPECT_EQ(s.refresh_token.size(), 43u);
  const http::Principal who = Who(s);
  EXPECT_EQ(who.user_id, s.user.id);
  EXPECT_FALSE(who.mfa);
}

TEST_F(AccountServiceTest, AccessTokensExpireAfterFifteenMinutes) {
  const SignedIn s = SignUp("ada@example.org");
  clock_.Advance(auth::kAccessTokenSeconds - 1);
  EXPECT_TRUE(accounts_.Authenticate(s.access_token).ok());
  clock_.Advance(61 + 1);  // past the 60 s leeway
  const auto expired = accounts_.Authenticate(s.access_token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthorized);
}

TEST_F(AccountServiceTest, RefreshTokensExpireAfterThirtyDays) {
  const SignedIn s = SignUp("ada@example.org");
  clock_.Advance(30 * 24 * 3600 + 1);
  EXPECT_FALSE(accounts_.Refresh(s.refresh_token).ok());
}

TEST_F(AccountServiceTest, RefreshRotatesAndReuseEndsTheFamily) {
  const SignedIn s = SignUp("ada@example.org");
  auto next = accounts_.Refresh(s.refresh_token);
  ASSERT_TRUE(next.ok());
  EXPECT_NE(next->refresh_token, s.refresh_token);
  EXPECT_EQ(Who(*next).session_id, Who(s).session_id);        // same sign-in
  EXPECT_FALSE(accounts_.Refresh(s.refresh_token).ok());      // reuse
  EXPECT_FALSE(accounts_.Refresh(next->refresh_token).ok());  // the family is gone
}

TEST_F(AccountServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  SignUp("ada@example.org");
  auto wrong = accounts_.LogIn("ada@example.org", "not the password", std::nullopt, "");
  auto unknown = accounts_.LogIn("bob@example.org", "not the password", std::nullopt, "");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, unknown.error().code);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().type, unknown.error().type);
}

TEST_F(AccountServiceTest, FailedSignInsPerAccountAreLimitedButSuccessesAreNot) {
  SignUp("ada@example.org");
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "").ok()) << i;
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_.LogIn("ADA@example.org", "wrong guess", std::nullopt, "").error().code,
              ErrorCode::kUnauthorized);
  }
  const auto limited = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(limited.error().retry_after, 0);
}

TEST_F(AccountServiceTest, RefreshesPerSessionAndSignUpsPerEmailAreLimited) {
  SignedIn s = SignUp("ada@example.org");
  int refreshed = 0;
  for (int i = 0; i < 25; ++i) {
    auto next = accounts_.Refresh(s.refresh_token);
    if (!next.ok()) {
      EXPECT_EQ(next.error().code, ErrorCode::kRateLimited);
      break;
    }
    s = std::move(next).value();
    ++refreshed;
  }
  EXPECT_EQ(refreshed, 20);
  int conflicts = 0;
  for (int i = 0; i < 4; ++i) {
    SignUpInput input{"ADA@example.org", std::string(kPassword), "Ada", "UTC", ""};
    auto again = accounts_.SignUp(input);
    ASSERT_FALSE(again.ok());
    if (again.error().code == ErrorCode::kConflict) ++conflicts;
  }
  EXPECT_EQ(conflicts, 2);  // the first sign-up used one of the three
}

TEST_F(AccountServiceTest, SecondFactorEnrolmentThenRequiredWithReplayRefused) {
  const SignedIn s = SignUp("ada@example.org");
  auto enrolment = accounts_.StartTotp(Who(s));
  ASSERT_TRUE(enrolment.ok());
  const std::string secret = *auth::Base32Decode(enrolment->secret);
  const auto code_now = [&] {
    return auth::Hotp(secret, static_cast<uint64_t>(clock_.NowSeconds() / 30));
  };
  EXPECT_FALSE(accounts_.ConfirmTotp(Who(s), "12345").ok());
  auto confirmed = accounts_.ConfirmTotp(Who(s), code_now());
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->recovery_codes.size(), 10u);
  EXPECT_TRUE(accounts_.Authenticate(confirmed->access_token)->mfa);

  auto missing = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "mfa-required");
  // The code that confirmed enrolment cannot be used again in the same step.
  EXPECT_FALSE(accounts_.LogIn("ada@example.org", kPassword, code_now(), "").ok());
  clock_.Advance(30);
  auto with_code = accounts_.LogIn("ada@example.org", kPassword, code_now(), "");
  ASSERT_TRUE(with_code.ok());
  EXPECT_TRUE(Who(*with_code).mfa);
  // A refresh keeps the sign-in's second factor.
  auto refreshed = accounts_.Refresh(with_code->refresh_token);
  ASSERT_TRUE(refreshed.ok());
  EXPECT_TRUE(Who(*refreshed).mfa);
  // Recovery codes: once each, with or without dashes and in any case.
  std::string code = confirmed->recovery_codes[0];
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(accounts_.LogIn("ada@example.org", kPassword, code, "").ok());
  EXPECT_FALSE(
      accounts_.LogIn("ada@example.org", kPassword, confirmed->recovery_codes[0], "").ok());
}

TEST_F(AccountServiceTest, InstructorsAndAdminsCannotTurnTheSecondFactorOff) {
  const SignedIn s = SignUp("ada@example.org");
  ASSERT_TRUE(users_.UpdateUser(s.user.id, {.role = domain::Role::kInstructor}).ok());
  const auto refused = accounts_.DisableTotp(Who(s), kPassword);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(AccountServiceTest, DisablingAUserStopsTheirTokensAtOnce) {
  const SignedIn admin = SignUp("root@example.org");
  const SignedIn learner = SignUp("ada@example.org");
  http::Principal root = Who(admin);
  root.role = domain::Role::kAdmin;
  ASSERT_TRUE(accounts_.AdminUpdate(root, learner.user.id, std::nullopt, true).ok());
  EXPECT_FALSE(accounts_.Authenticate(learner.access_token).ok());
  EXPECT_FALSE(accounts_.Refresh(learner.refresh_token).ok());
  EXPECT_EQ(accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "").error().code,
            ErrorCode::kForbidden);
  // And admins cannot lock themselves out.
  EXPECT_EQ(
      accounts_.AdminUpdate(root, admin.user.id, domain::Role::kLearner, std::nullopt).error().code,
      ErrorCode::kConflict);
}

// A token carries the role it was signed with: after a change, the old tokens must stop, or a
// demoted admin could give the role back to themselves before theirs expired.
TEST_F(AccountServiceTest, ChangingARoleStopsTheTokensSignedBeforeIt) {
  const SignedIn admin = SignUp("root@example.org");
  const SignedIn demoted = SignUp("ada@example.org");
  http::Principal root = Who(admin);
  root.role = domain::Role::kAdmin;
  clock_.Advance(10);
  ASSERT_TRUE(
      accounts_.AdminUpdate(root, demoted.user.id, domain::Role::kInstructor, std::nullopt).ok());
  EXPECT_FALSE(accounts_.Authenticate(demoted.access_token).ok());
  EXPECT_FALSE(accounts_.Refresh(demoted.refresh_token).ok());
  // Signed in within the change's second: refused too (tokens carry whole seconds).
  auto same_second = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_TRUE(same_second.ok());
  EXPECT_FALSE(accounts_.Authenticate(same_second->access_token).ok());
  clock_.Advance(1);
  auto again = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(accounts_.Authenticate(again->access_token).ok());
  EXPECT_EQ(accounts_.Authenticate(again->access_token)->role, domain::Role::kInstructor);
  // Enabled again after being disabled: the tokens from before stay refused.
  ASSERT_TRUE(accounts_.AdminUpdate(root, demoted.user.id, std::nullopt, true).ok());
  EXPECT_FALSE(accounts_.Authenticate(again->access_token).ok());
  clock_.Advance(1);
  ASSERT_TRUE(accounts_.AdminUpdate(root, demoted.user.id, std::nullopt, false).ok());
  EXPECT_FALSE(accounts_.Authenticate(again->access_token).ok());
  clock_.Advance(1);
  auto back = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(accounts_.Authenticate(back->access_token).ok());
  // Other users' tokens were never touched.
  EXPECT_TRUE(accounts_.Authenticate(admin.access_token).ok());
}

// Refusals are forgotten once the tokens they refuse have expired, never before: a token signed
// just before a change stays refused to the last second the verifier would accept it.
TEST_F(AccountServiceTest, RefusalsLastAsLongAsTheTokensTheyRefuse) {
  const SignedIn admin = SignUp("root@example.org");
  const SignedIn demoted = SignUp("ada@example.org");
  const SignedIn disabled = SignUp("bob@example.org");
  http::Principal root = Who(admin);
  root.role = domain::Role::kAdmin;
  clock_.Advance(auth::kAccessTokenSeconds - 100);
  ASSERT_TRUE(
      accounts_.AdminUpdate(root, demoted.user.id, domain::Role::kInstructor, std::nullopt).ok());
  ASSERT_TRUE(accounts_.AdminUpdate(root, disabled.user.id, std::nullopt, true).ok());
  clock_.Advance(100 + 59);  // both tokens are past "exp", within the verifier's 60 s leeway
  EXPECT_EQ(accounts_.Authenticate(demoted.access_token).error().message,
            "This account has changed since you signed in; sign in again.");
  EXPECT_EQ(accounts_.Authenticate(disabled.access_token).error().message,
            "This account can no longer sign in.");
  clock_.Advance(2);
  EXPECT_EQ(accounts_.Authenticate(demoted.access_token).error().message, "token expired");
  // Much later, another change: the old entries are dropped, and the new one still holds.
  clock_.Advance(3600);
  auto fresh = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_TRUE(fresh.ok());
  clock_.Advance(1);
  ASSERT_TRUE(
      accounts_.AdminUpdate(root, demoted.user.id, domain::Role::kLearner, std::nullopt).ok());
  EXPECT_FALSE(accounts_.Authenticate(fresh->access_token).ok());
}

TEST_F(AccountServiceTest, ChangingThePasswordEndsOtherSessionsOnly) {
  const SignedIn first = SignUp("ada@example.org");
  auto second = accounts_.LogIn("ada@example.org", kPassword, std::nullopt, "");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(accounts_.ChangePassword(Who(first), kPassword, "a brand new passphrase").ok());
  EXPECT_FALSE(accounts_.Refresh(second->refresh_token).ok());
  EXPECT_TRUE(accounts_.Refresh(first.refresh_token).ok());
  const auto wrong = accounts_.ChangePassword(Who(first), "not it at all", "whatever else 123");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().fields.at(0).field, "current_password");
}

TEST_F(AccountServiceTest, ExportHoldsTheAccountAndNoSecrets) {
  const SignedIn s = SignUp("ada@example.org");
  auto document = accounts_.Export(Who(s));
  ASSERT_TRUE(document.ok());
  EXPECT_NE(document->find("ada@example.org"), std::string::npos);
  EXPECT_EQ(document->find("argon2"), std::string::npos);
  EXPECT_EQ(document->find(s.refresh_token), std::string::npos);
}

TEST_F(AccountServiceTest, SignUpValidatesEveryField) {
  SignUpInput input{"not an email", "short", "", "Nowhere/City", ""};
  auto result = accounts_.SignUp(input);
  ASSERT_FALSE(result.ok());
  std::set<std::string> fields;
  for (const auto& field : result.error().fields) fields.insert(field.field);
  EXPECT_EQ(fields, (std::set<std::string>{"email", "password", "display_name", "time_zone"}));
}

}  // namespace
}  // namespace practica::api
