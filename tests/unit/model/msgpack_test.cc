// append_msgpack writes exactly the document to_json builds (MessagePack read
// back with nlohmann equals the JSON tree), for a fully populated job, a node,
// an allocation with its job, task states and ports, and an evaluation; and
// `omit`/`extra` leave out a key and make room for the caller's.
#include <gtest/gtest.h>

#include <functional>

#include "core/msgpack_writer.h"
#include "full_job.h"
#include "model/model_json.h"

namespace caravan::model {
namespace {

template <class T>
nlohmann::json via_msgpack(const T& value, std::string_view omit = {}, size_t extra = 0,
                           const std::function<void(MsgpackWriter&)>& append = nullptr) {
  std::string bytes;
  append_msgpack(bytes, value, omit, extra);
  if (append) {
    MsgpackWriter writer(bytes);
    append(writer);
  }
  return nlohmann::json::from_msgpack(bytes);
}

template <class T>
nlohmann::json via_json(const T& value) {
  return nlohmann::json::parse(to_json(value).dump());
}

Allocation sample_alloc() {
  auto job = std::make_shared<const Job>(fixtures::full_job());
  Allocation alloc;
  alloc.id = "a1";
  alloc.name = allocation_name("web", "frontend", 4);
  alloc.job = job;
  alloc.job_id = "web";
  alloc.allocated_resources.shared.ports = {AllocatedPort{"http", 23456, 8080, "127.0.0.1"}};
  alloc.allocated_resources.tasks["server"] = AllocatedTaskResources{500, {0, 3}, 256, 512};
  alloc.task_states["server"].state = kTaskStateRunning;
  alloc.task_states["server"].events.push_back(
      TaskEvent{.type = "Terminated", .time = -5, .details = {{"oom_killed", "true"}}, .exit_code = 137});
  alloc.create_time = 1'700'000'000'123'456'789;
  return alloc;
}

TEST(Msgpack, WritesTheSameDocumentAsToJson) {
  EXPECT_EQ(via_msgpack(fixtures::full_job()), via_json(fixtures::full_job()));
  Allocation alloc = sample_alloc();
  EXPECT_EQ(via_msgpack(alloc), via_json(alloc));
  Node node;
  node.id = "n1";
  node.attributes = {{"kernel.name", "linux"}};
  node.drivers["exec"] = DriverInfo{{{"driver.exec", "1"}}, true, false, "no cgroups", ""};
  node.node_resources.cpu.cpu_shares = 4000;
  EXPECT_EQ(via_msgpack(node), via_json(node));
  Evaluation eval;
  eval.id = "e1";
  eval.failed_tg_allocs["web"].dimension_exhausted["memory"] = 3;
  eval.wait = std::chrono::seconds(30);
  EXPECT_EQ(via_msgpack(eval), via_json(eval));
}

TEST(Msgpack, OmitsAKeyAndMakesRoomForTheCallersFields) {
  Allocation alloc = sample_alloc();
  nlohmann::json expected = via_json(alloc);
  expected.erase("Job");
  expected["JobVersion"] = 7;
  nlohmann::json got = via_msgpack(alloc, "Job", 1, [](MsgpackWriter& w) {
    w.string("JobVersion");
    w.integer(7);
  });
  EXPECT_EQ(got, expected);
}

TEST(Msgpack, IntegersUseEveryWidth) {
  for (int64_t v : {int64_t{0}, int64_t{127}, int64_t{128}, int64_t{65535}, int64_t{65536},
                    int64_t{4294967296}, int64_t{-1}, int64_t{-32}, int64_t{-33}, int64_t{-129},
                    int64_t{-32769}, int64_t{-2147483649}, INT64_MIN, INT64_MAX}) {
    std::string bytes;
    MsgpackWriter(bytes).integer(v);
    EXPECT_EQ(nlohmann::json::from_msgpack(bytes).get<int64_t>(), v) << v;
  }
  std::string text(70000, 'x');
  std::string bytes;
  MsgpackWriter(bytes).string(text);
  EXPECT_EQ(nlohmann::json::from_msgpack(bytes).get<std::string>(), text);
}

}  // namespace
}  // namespace caravan::model
