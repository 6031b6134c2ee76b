#include "store/progress_checks.h"

#include <string>
#include <utility>

#include "store/progress_store.h"

namespace practica::store {

Status CheckDueCardsLimit(int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  return Status::Ok();
}

Error IdempotencyKeyReused() {
  Error error = Error::Conflict(
      "the idempotency key was used before with a different request; use a new key for a new "
      "request");
  error.type = std::string(kIdempotencyKeyReused);
  return error;
}

Error NoCard(std::string_view course, std::string_view exercise) {
  std::string message = "no review card for exercise \"";
  message += exercise;
  message += "\" of course \"";
  message += course;
  message += '"';
  return Error::NotFound(std::move(message));
}

Error AttemptIdTaken(std::string_view attempt_id) {
  std::string message = "attempt id \"";
  message += attempt_id;
  message += "\" exists already";
  return Error::Conflict(std::move(message));
}

}  // namespace practica::store
