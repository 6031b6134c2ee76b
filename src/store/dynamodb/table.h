// The one DynamoDB table that holds content and progress (docs/DATA.md has every item and access
// pattern): its key schema, its creation for `practica migrate`, and the check that `serve` makes
// before it trusts the table.
//
//   pk (S), sk (S)                  the table's key
//   gsi1pk (S), gsi1sk (S)          index "due": review cards by learner and due time
//
// Billing is on demand (PAY_PER_REQUEST): no capacity to plan, nothing paid while idle.
#pragma once

#include <string>
#include <string_view>

#include "aws/dynamodb.h"
#include "common/error.h"

namespace practica::store::dynamodb {

inline constexpr std::string_view kDueIndex = "due";

// Creates the table (and its index) unless it exists, then waits until it is ACTIVE. Returns true
// when it created the table. Safe to run again, and from several processes at once.
Result<bool> CreateTable(aws::dynamodb::Client& client, std::string_view table);

// kUnavailable with a message that says what to do, unless the table exists, is ACTIVE and has
// the key schema and index above.
Status CheckTable(aws::dynamodb::Client& client, std::string_view table);

}  // namespace practica::store::dynamodb
