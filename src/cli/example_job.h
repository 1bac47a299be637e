// The example job `caravan job init` writes: a web service on a dynamic port
// with a health check and ingress route tags. The commented form explains each
// block; the short form is the same job without comments. Both are validated
// by the tests, so the example never drifts from what caravan accepts.
#pragma once

#include <string_view>

namespace caravan::cli {

std::string_view example_job_commented();
std::string_view example_job_short();

}  // namespace caravan::cli
