#include "api/routes.h"

namespace caravan::api {

void add_routes(http::Router& router, const ApiContext& context) {
  add_job_routes(router, context);
  add_alloc_routes(router, context);
  add_node_routes(router, context);
  add_eval_routes(router, context);
  add_agent_routes(router, context);
  add_service_routes(router, context);
  add_consul_routes(router, context);
  add_deployment_routes(router, context);
}

}  // namespace caravan::api
