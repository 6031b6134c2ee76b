#include "common/calendar.h"

#include <gtest/gtest.h>

namespace practica {
namespace {

TEST(Calendar, FormatsAndParsesEpochDays) {
  EXPECT_EQ(FormatDay(0), "1970-01-01");
  EXPECT_EQ(FormatDay(19996), "2024-09-30");
  EXPECT_EQ(FormatDay(-1), "1969-12-31");
  EXPECT_EQ(ParseDay("1970-01-01"), 0);
  EXPECT_EQ(ParseDay("2024-09-30"), 19996);
  EXPECT_EQ(ParseDay("2024-02-29"), 19782);
  for (int64_t day : {-719162, -1, 0, 11016, 19782, 20000, 2932896}) {
    EXPECT_EQ(ParseDay(FormatDay(day)), day) << FormatDay(day);
  }
}

TEST(Calendar, RefusesWhatIsNotADate) {
  for (const char* text :
       {"", "2024-9-30", "2024-09-31", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01",
        "2024/09/30", "20240930xx", "２０２４-09-30", " 2024-09-3", "2024-09-30T00:00"}) {
    EXPECT_FALSE(ParseDay(text).has_value()) << text;
  }
}

TEST(Calendar, WeeksStartOnMondayAndMonthsOnTheFirst) {
  EXPECT_EQ(WeekStart(19996), 19996);  // a Monday
  EXPECT_EQ(WeekStart(20002), 19996);  // the Sunday after
  EXPECT_EQ(WeekStart(20003), 20003);  // the next Monday
  EXPECT_EQ(WeekStart(0), -3);         // Thursday 1970-01-01 → Monday 1969-12-29
  EXPECT_EQ(FormatDay(MonthStart(19996)), "2024-09-01");
  EXPECT_EQ(FormatDay(MonthStart(*ParseDay("2024-03-01"))), "2024-03-01");
  EXPECT_EQ(FormatDay(MonthStart(*ParseDay("2024-12-31"))), "2024-12-01");
}

TEST(Calendar, EpochDayRoundsDown) {
  EXPECT_EQ(EpochDay(0), 0);
  EXPECT_EQ(EpochDay(86399), 0);
  EXPECT_EQ(EpochDay(86400), 1);
  EXPECT_EQ(EpochDay(-1), -1);
  EXPECT_EQ(EpochDay(-86400), -1);
  EXPECT_EQ(EpochDay(-86401), -2);
}

}  // namespace
}  // namespace practica
