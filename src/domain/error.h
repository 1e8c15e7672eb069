// Error: what went wrong, in words a person can act on, with a code from a
// small fixed set. Plain value type; safe to copy between threads.
#pragma once

#include <string>
#include <vector>

namespace trellis {

enum class ErrorCode {
  kInvalidArgument,     // the input is wrong: a bad field, value or file
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // creating something whose id is taken
  kFailedPrecondition,  // state must change first: session full, pre-requisite
                        // missing
  kPermissionDenied,    // the caller is known but may not do this
  kUnauthenticated,     // the caller is not known
  kConflict,            // a concurrent change won
  kUnavailable,         // a resource is down for now; retrying may succeed
  kInternal,            // a bug or a broken invariant in Trellis
};

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
};

// The code's name as written in API answers, e.g. "invalid_argument".
const char* ErrorCodeName(ErrorCode code);

}  // namespace trellis
