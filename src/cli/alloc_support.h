// What the `alloc` commands share: finding the allocation an ID prefix names
// (and fetching the full allocation), choosing the task a command acts on, and
// trimming log text to its last lines for `alloc logs -tail -n N`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/api_client.h"
#include "cli/command.h"
#include "core/status.h"

namespace caravan::cli {

// Resolves `prefix` among allocations and fetches GET /v1/allocation/:id.
// Prints the error (no match, several matches, agent unreachable) to io.err
// and returns nullopt on failure.
std::optional<nlohmann::json> fetch_allocation(ApiClient& api, std::string_view prefix,
                                               CommandIo& io);

// A client of the agent running `alloc` — its node's HTTPAddr — for the client
// endpoints (/v1/client/...), as nomad's CLI reaches the node directly: with
// separate server and client agents only the client has the task's logs. Falls
// back to `flags`' agent when the node has no address or does not answer there.
std::optional<ApiClient> connect_alloc_node(ApiClient& api, const ApiFlags& flags,
                                            const nlohmann::json& alloc, CommandIo& io);

// The tasks of an allocation's task group, from its embedded Job (falling back
// to the names in TaskStates), in job order.
std::vector<std::string> allocation_tasks(const nlohmann::json& alloc);

// The task a command should act on. With `requested` set, it must be one of the
// allocation's tasks ("Could not find task named: x, found:\n* a\n* b");
// without, the allocation must run exactly one task, else the error lists them
// and asks for one ("Allocation \"8ba85cef\" is running the following tasks:
// ... Please specify the task.").
Result<std::string> select_task(const nlohmann::json& alloc, std::string_view requested);

// The last `lines` lines of `text` (a trailing partial line counts as one).
// All of `text` when it has fewer. `*start` (optional) receives the offset in
// `text` where the returned part begins.
std::string_view last_lines(std::string_view text, int lines, size_t* start = nullptr);

}  // namespace caravan::cli
