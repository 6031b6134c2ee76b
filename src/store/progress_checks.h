// Rules every ProgressStore adapter applies the same way, so all of them refuse the same input
// with the same error (the contract suite in tests/store/progress_store_contract.h checks it).
#pragma once

#include <string_view>

#include "common/error.h"

namespace practica::store {

// kInvalid unless limit >= 1 (DueCards).
Status CheckDueCardsLimit(int limit);

// Error helpers, so every adapter words them alike. Messages carry ids, never answers.
Error IdempotencyKeyReused();  // kConflict, type kIdempotencyKeyReused
Error NoCard(std::string_view course, std::string_view exercise);  // kNotFound
Error AttemptIdTaken(std::string_view attempt_id);                 // kConflict

}  // namespace practica::store
