#include <gtest/gtest.h>

#include "store/postgres/connection_url.h"

namespace practica::store::postgres {
namespace {

TEST(RedactPasswordTest, RedactsTheUserInfoPasswordOfAUrl) {
  const std::string url = "postgresql://practica:s3cret@db.example.com:5432/practica";
  EXPECT_EQ(RedactPassword("failed for " + url, url),
            "failed for postgresql://practica:***@db.example.com:5432/practica");
  EXPECT_EQ(RedactPassword("s3cret and s3cret", "postgres://u:s3cret@h/d"), "*** and ***");
}

TEST(RedactPasswordTest, RedactsWrittenAndPercentDecodedForms) {
  const std::string url = "postgresql://u:p%40ss%2Fw0rd@h/d";
  EXPECT_EQ(RedactPassword("raw p%40ss%2Fw0rd, decoded p@ss/w0rd", url), "raw ***, decoded ***");
}

TEST(RedactPasswordTest, RedactsAPasswordWithUnescapedSeparators) {
  // libpq misreads this one (the first '/' ends its host), and may quote any part of it.
  const std::string url = "postgresql://u:a/b@c@h/d";
  EXPECT_EQ(RedactPassword("bad a/b@c", url), "bad ***");
}

TEST(RedactPasswordTest, RedactsTheQueryParameter) {
  const std::string url = "postgresql://u@h/d?sslmode=require&password=hunter2&connect_timeout=5";
  EXPECT_EQ(RedactPassword("hunter2!", url), "***!");
  EXPECT_EQ(RedactPassword("x", "postgresql://u@h/d?pass%77ord=hunter2"), "x");
  EXPECT_EQ(RedactPassword("hunter2", "postgresql://u@h/d?pass%77ord=hunter2"), "***");
}

TEST(RedactPasswordTest, RedactsKeywordPasswordsQuotedOrNot) {
  EXPECT_EQ(RedactPassword("x hunter2 y", "host=h password=hunter2 dbname=d"), "x *** y");
  EXPECT_EQ(RedactPassword("x hunter2 y", "host=h password = hunter2"), "x *** y");
  EXPECT_EQ(RedactPassword("it's me", "host=h password='it\\'s me' dbname=d"), "***");
  EXPECT_EQ(RedactPassword("it\\'s me", "host=h password='it\\'s me' dbname=d"), "***");
}

TEST(RedactPasswordTest, LeavesTextAloneWithoutAPassword) {
  EXPECT_EQ(RedactPassword("connection refused", "postgresql://u@h/d"), "connection refused");
  EXPECT_EQ(RedactPassword("connection refused", "host=h dbname=d"), "connection refused");
  EXPECT_EQ(RedactPassword("connection refused", "postgresql://u:@h/d"), "connection refused");
  EXPECT_EQ(RedactPassword("", ""), "");
}

}  // namespace
}  // namespace practica::store::postgres
