// Serves a task's logs for GET /v1/client/fs/logs/:alloc (`alloc logs`): query
// task, type=stdout|stderr, origin=start|end, offset=N, follow=true. The body
// is the raw text (Nomad's plain=true form); following streams new output until
// the task is dead and everything was sent, or the client goes away.
#pragma once

#include <memory>

#include "client/alloc_runner.h"
#include "http/message.h"

namespace caravan::client {

// `runner` is kept alive by the response while it streams. Errors are answered
// as error responses: 400 for bad parameters, 404 for an unknown task.
http::Response serve_task_logs(const http::Request& request,
                               std::shared_ptr<const AllocRunner> runner);

}  // namespace caravan::client
