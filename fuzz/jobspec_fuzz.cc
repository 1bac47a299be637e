// Fuzz target for job files: any input goes through jobspec::parse_job (as
// HCL, or as Nomad JSON when it starts with '{'); a job that parses is also
// encoded to JSON and read back. Must never crash, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "jobspec/jobspec.h"
#include "model/job_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // large inputs add time, not coverage
  caravan::jobspec::ParseOptions options;
  options.env = std::map<std::string, std::string>{};  // no process environment
  std::string input(reinterpret_cast<const char*>(data), size);
  caravan::jobspec::ParseResult result =
      caravan::jobspec::parse_job(input, "fuzz.nomad.hcl", options);
  (void)result.format_diagnostics();
  if (result.ok()) {
    std::string json = caravan::model::encode_job(*result.job);
    caravan::jobspec::ParseResult again = caravan::jobspec::parse_job(json, "fuzz.json", options);
    (void)again.ok();
  }
  return 0;
}
