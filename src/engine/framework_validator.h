// Validates a loaded framework as a whole (MISSION A9): duplicate ids, unknown
// references (with a did-you-mean suggestion), cycles in sequencing (printing
// the cycle), rules an audience can never satisfy within its own route, and
// dates that cannot be right. Pure; safe from many threads.
#pragma once

#include <vector>

#include "domain/framework.h"

namespace trellis {

// Every finding about `framework`, in file order. Findings from loading are not
// repeated here; callers append these to the loader's.
std::vector<Finding> ValidateFramework(const Framework& framework);

// Sorts findings by file, line and column, keeping the order of equal
// positions.
void SortFindings(std::vector<Finding>& findings);

}  // namespace trellis
