// The DynamoDB Streams ingest handler: in AWS, attempts live in DynamoDB, and the table's stream
// invokes `practica lambda` with batches of changed items; each exercise item's log becomes
// analytics events through the same store::IngestAttempt the single-node server calls after a
// commit (DESIGN.md "Data flow").
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/analytics_store.h"

namespace practica::app {

// True when `event` (an invocation's payload) is a DynamoDB Streams batch.
bool IsStreamEvent(std::string_view event);

// Records the attempts of every INSERT and MODIFY record's new image in one AnalyticsStore::Record
// (REMOVE records, such as a deleted learner's items, are skipped) and answers Lambda's partial
// batch response with no failures: {"batchItemFailures":[]}. A batch that does not parse is an
// error of type kUnknownEventType; a store failure is returned as is, so Lambda retries the whole
// batch (harmless: events are idempotent) and, past the retries, sends it to the failure
// destination.
//
// `then`, when given, is a second consumer of the same events (the xAPI feed), called once
// analytics has them; its error fails the batch the same way, so Lambda delivers it again.
using IngestConsumer = std::function<Status(const store::EventBatch& batch)>;
Result<std::string> IngestStreamBatch(std::string_view event, store::AnalyticsStore& analytics,
                                      const IngestConsumer& then = {});

}  // namespace practica::app
