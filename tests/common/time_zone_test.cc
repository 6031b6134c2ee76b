#include "common/time_zone.h"

#include <gtest/gtest.h>

namespace practica {
namespace {

TEST(TimeZone, UtcHasNoOffset) {
  auto utc = TimeZone::Load("UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ((*utc)->OffsetAt(1'800'000'000), 0);
}

TEST(TimeZone, ParisFollowsSummerTime) {
  auto paris = TimeZone::Load("Europe/Paris");
  ASSERT_TRUE(paris.ok());
  EXPECT_EQ((*paris)->OffsetAt(1'768'478'400), 3600);  // 2026-01-15 12:00 UTC: CET
  EXPECT_EQ((*paris)->OffsetAt(1'784'116'800), 7200);  // 2026-07-15 12:00 UTC: CEST
}

TEST(TimeZone, NewYorkAndKolkata) {
  EXPECT_EQ((*TimeZone::Load("America/New_York"))->OffsetAt(1'768'478'400), -5 * 3600);
  EXPECT_EQ((*TimeZone::Load("Asia/Kolkata"))->OffsetAt(1'768'478'400), 5 * 3600 + 1800);
}

TEST(TimeZone, UnknownAndEscapingNamesAreRefused) {
  EXPECT_EQ(TimeZone::Load("Mars/Olympus_Mons").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(TimeZone::Load("../../etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Load("/etc/passwd").ok());
  EXPECT_FALSE(TimeZone::Load("").ok());
}

}  // namespace
}  // namespace practica
