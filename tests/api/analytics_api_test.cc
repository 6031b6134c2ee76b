#include "api/analytics_api.h"

#include <gtest/gtest.h>

#include <string>

#include "common/calendar.h"

namespace practica::api {
namespace {

const int64_t kToday = *ParseDay("2026-11-25");

Result<store::DayRange> RangeOf(std::string query) {
  http::Request request;
  request.query = std::move(query);
  return ParseDayRange(request, kToday);
}

std::string FirstField(const Result<store::DayRange>& range) {
  return range.ok() || range.error().fields.empty() ? "" : range.error().fields.front().field;
}

TEST(AnalyticsRange, DefaultsToTheNinetyDaysEndingToday) {
  Result<store::DayRange> range = RangeOf("");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->last_day, kToday);
  EXPECT_EQ(range->last_day - range->first_day + 1, 90);
  Result<store::DayRange> ending = RangeOf("to=2026-01-31");
  ASSERT_TRUE(ending.ok());
  EXPECT_EQ(FormatDay(ending->first_day), "2025-11-03");
  Result<store::DayRange> one_day = RangeOf("from=2026-02-01&to=2026-02-01");
  ASSERT_TRUE(one_day.ok());
  EXPECT_EQ(one_day->first_day, one_day->last_day);
  EXPECT_EQ(one_day->End() - one_day->Begin(), 86400);
}

TEST(AnalyticsRange, RefusesWhatIsNotAUsefulRange) {
  EXPECT_EQ(FirstField(RangeOf("from=2026-13-01")), "from");
  EXPECT_EQ(FirstField(RangeOf("to=tomorrow")), "to");
  EXPECT_EQ(FirstField(RangeOf("from=2026-05-02&to=2026-05-01")), "from");
  EXPECT_EQ(FirstField(RangeOf("from=1999-12-31&to=2000-01-02")), "from");
  EXPECT_EQ(FirstField(RangeOf("to=2101-01-01")), "to");
  EXPECT_EQ(FirstField(RangeOf("from=2000-01-01&to=2026-01-01")), "from");  // over 3660 days
  EXPECT_EQ(FirstField(RangeOf("from=2016-01-01&to=2026-01-08")), "from");  // 3661 days
  EXPECT_TRUE(RangeOf("from=2016-01-01&to=2026-01-07").ok());               // 3660 days
}

TEST(AnalyticsCsv, QuotesWhatNeedsQuotingAndDefusesFormulas) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("=SUM(A1:A9)"), "'=SUM(A1:A9)");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("@cmd"), "'@cmd");
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("Ünïcode"), "Ünïcode");
}

}  // namespace
}  // namespace practica::api
