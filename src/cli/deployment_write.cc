#include "cli/deployment_write.h"

#include <ostream>

#include "cli/eval_monitor.h"
#include "cli/text_format.h"

namespace caravan::cli {

int submit_deployment_write(ApiClient& api, const std::string& id, std::string_view path,
                            std::string_view done, nlohmann::json body, bool detach, bool verbose,
                            CommandIo& io) {
  body["DeploymentID"] = id;
  Result<nlohmann::json> answer =
      api.post("/v1/deployment/" + std::string(path) + "/" + url_escape(id), body);
  if (!answer) {
    print_api_error(io, "updating deployment", answer.error());
    return 1;
  }
  io.out << "Deployment \"" << id << "\" " << done << "\n";
  std::string eval_id = json_string(*answer, "EvalID");
  if (detach || eval_id.empty()) return 0;
  io.out << "\n";
  MonitorOptions options;
  options.id_length = verbose ? 36 : 8;
  return monitor_evaluation(api, eval_id, io, options);
}

}  // namespace caravan::cli
