// The catalog in the state store: instances registered per allocation, check
// results updating them, the per-service index that blocking queries use, and
// every way an instance leaves (its allocation stops, fails or is collected,
// its node goes down, a client or the API deletes it), with no stale instance
// let back in by a late report.
#include <gtest/gtest.h>

#include "state/log_entry.h"
#include "state_test_util.h"

namespace caravan::state {
namespace {

using testing::make_alloc;
using testing::make_instance;
using testing::make_job;
using testing::make_node;
using testing::must_apply;
using testing::open_memory_store;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    must_apply(*store_, NodeRegister{make_node("n1")});
    must_apply(*store_, NodeRegister{make_node("n2")});
    must_apply(*store_, JobRegister{make_job("web"), std::nullopt});
    JobPtr job = view()->job("default", "web");
    must_apply(*store_, ApplyPlanResults{"e1", {},
                                         {make_alloc("a1", job, "n1", 0), make_alloc("a2", job, "n2", 1)},
                                         {}});
  }
  int64_t upsert(std::vector<model::ServiceRegistration> instances) {
    return must_apply(*store_, ServiceRegistrationUpsert{std::move(instances)});
  }
  // The scheduler stops both allocations (their instances may be draining).
  void stop_both() {
    ApplyPlanResults stop;
    stop.eval_id = "e2";
    stop.allocs_stopped.push_back(AllocStopUpdate{"a1"});
    stop.allocs_stopped.push_back(AllocStopUpdate{"a2"});
    must_apply(*store_, stop);
  }
  std::vector<std::string> ids(const std::string& service) const {
    std::vector<std::string> out;
    for (const ServicePtr& s : view()->service("default", service)) out.push_back(s->alloc_id);
    return out;
  }
  StateViewPtr view() const { return store_->snapshot(); }

  std::unique_ptr<StateStore> store_ = open_memory_store();
};

TEST_F(CatalogTest, UpsertRegistersInstancesWithIndexesAndAggregateStatus) {
  int64_t index = upsert({make_instance("a1", "web"), make_instance("a2", "web", "critical"),
                          make_instance("a1", "admin")});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(view()->services("").size(), 3u);
  EXPECT_EQ(view()->services_by_alloc("a1").size(), 2u);
  EXPECT_EQ(view()->table_index(Table::kServices), index);
  EXPECT_EQ(view()->service_index("default", "web"), index);
  ServicePtr a2 = view()->service("default", "web")[1];
  EXPECT_EQ(a2->create_index, index);
  EXPECT_EQ(a2->modify_index, index);
  EXPECT_EQ(a2->status(), "critical");
  EXPECT_FALSE(a2->passing());
  EXPECT_TRUE(view()->service("default", "web")[0]->passing());
}

TEST_F(CatalogTest, ACheckChangeMovesOnlyItsServiceIndexAndAResyncMovesNothing) {
  int64_t first = upsert({make_instance("a1", "web"), make_instance("a1", "admin")});
  int64_t resync = upsert({make_instance("a1", "web")});
  EXPECT_EQ(view()->service_index("default", "web"), first) << "an unchanged instance";
  EXPECT_EQ(view()->table_index(Table::kServices), first);
  EXPECT_GT(resync, first);

  int64_t change = upsert({make_instance("a1", "web", "critical")});
  EXPECT_EQ(view()->service_index("default", "web"), change);
  EXPECT_EQ(view()->service_index("default", "admin"), first);
  ServicePtr web = view()->service("default", "web")[0];
  EXPECT_EQ(web->create_index, first);
  EXPECT_EQ(web->modify_index, change);
  EXPECT_EQ(web->status(), "critical");
}

TEST_F(CatalogTest, TerminalAllocationLeavesTheCatalogAndCannotComeBack) {
  upsert({make_instance("a1", "web"), make_instance("a2", "web")});
  model::Allocation done = *view()->alloc("a1");
  done.client_status = model::kAllocClientComplete;
  int64_t index = must_apply(*store_, AllocClientUpdate{{done}, {}});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(view()->service_index("default", "web"), index);

  upsert({make_instance("a1", "web")});  // a late check report
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a2"}));
}

TEST_F(CatalogTest, StoppingAllocationMayNotRegisterButKeepsWhatItHasUntilTheClientDeletes) {
  upsert({make_instance("a1", "web")});
  stop_both();
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"}));
  upsert({make_instance("a2", "web")});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"})) << "a2 is meant to stop";

  must_apply(*store_, ServiceRegistrationDelete{{"a1"}});
  EXPECT_TRUE(ids("web").empty());
}

TEST_F(CatalogTest, StoppingAllocationMayMarkTheInstancesItHasDrainingButRegisterNoNewOne) {
  upsert({make_instance("a1", "web")});
  stop_both();
  model::ServiceRegistration draining = make_instance("a1", "web");
  draining.draining = true;
  draining.drain_start_time = 1234;
  int64_t index = upsert({draining});
  std::vector<ServicePtr> now = view()->service("default", "web");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_TRUE(now[0]->draining);
  EXPECT_EQ(now[0]->drain_start_time, 1234);
  EXPECT_EQ(now[0]->modify_index, index);
  // A draining instance the allocation never had is not registered.
  model::ServiceRegistration fresh = make_instance("a2", "web");
  fresh.draining = true;
  upsert({fresh});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"}));
}

TEST_F(CatalogTest, LostAllocationAndDownNodeLeaveTheCatalog) {
  upsert({make_instance("a1", "web"), make_instance("a2", "web")});
  ApplyPlanResults lost;
  lost.eval_id = "e2";
  lost.allocs_stopped.push_back(
      AllocStopUpdate{"a2", model::kAllocDesiredStop, "node lost", model::kAllocClientLost, ""});
  must_apply(*store_, lost);
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"}));

  must_apply(*store_, NodeUpdateStatus{"n1", model::kNodeStatusDown, std::nullopt, {}});
  EXPECT_TRUE(ids("web").empty());
  upsert({make_instance("a1", "web")});
  EXPECT_TRUE(ids("web").empty()) << "its node is down";
  must_apply(*store_, NodeUpdateStatus{"n1", model::kNodeStatusReady, std::nullopt, {}});
  upsert({make_instance("a1", "web")});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"})) << "the client re-registers";
}

TEST_F(CatalogTest, GarbageCollectedAllocationLeavesTheCatalog) {
  upsert({make_instance("a1", "web")});
  must_apply(*store_, EvalDelete{{}, {"a1"}});
  EXPECT_TRUE(ids("web").empty());
}

TEST_F(CatalogTest, DeleteByIdRemovesOneInstanceAndNamesAnUnknownOne) {
  upsert({make_instance("a1", "web"), make_instance("a2", "web")});
  std::string id = make_instance("a2", "web").id;
  must_apply(*store_, ServiceRegistrationDelete{{}, "default", "web", id});
  EXPECT_EQ(ids("web"), (std::vector<std::string>{"a1"}));
  Result<int64_t> again = store_->apply(ServiceRegistrationDelete{{}, "default", "web", id});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), StatusCode::kNotFound);
  EXPECT_NE(again.error().message().find(id), std::string::npos);
}

TEST_F(CatalogTest, IncompleteInstanceIsRejectedWhole) {
  model::ServiceRegistration nameless = make_instance("a2", "web");
  nameless.service_name.clear();
  Result<int64_t> index =
      store_->apply(ServiceRegistrationUpsert{{make_instance("a1", "web"), nameless}});
  ASSERT_FALSE(index.has_value());
  EXPECT_EQ(index.error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ids("web").empty());
}

TEST_F(CatalogTest, ServiceIndexStaysAfterTheLastInstanceGoes) {
  upsert({make_instance("a1", "web")});
  int64_t gone = must_apply(*store_, ServiceRegistrationDelete{{"a1"}});
  EXPECT_TRUE(ids("web").empty());
  EXPECT_EQ(view()->service_index("default", "web"), gone);
  EXPECT_EQ(view()->service_index("default", "never"), 0);
}

TEST(CatalogLogEntry, UpsertAndDeleteRoundTrip) {
  ServiceRegistrationUpsert upsert{{make_instance("a1", "web", "warning")}};
  upsert.services[0].meta = {{"version", "2"}};
  upsert.services[0].canary = true;
  Result<LogEntry> decoded = decode_log_entry(encode_log_entry(LogEntry{upsert, 7}));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  const auto& got = std::get<ServiceRegistrationUpsert>(decoded->request);
  ASSERT_EQ(got.services.size(), 1u);
  EXPECT_EQ(got.services[0], upsert.services[0]);

  ServiceRegistrationDelete del{{"a1", "a2"}, "default", "web", "x"};
  decoded = decode_log_entry(encode_log_entry(LogEntry{del, 8}));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  const auto& got_del = std::get<ServiceRegistrationDelete>(decoded->request);
  EXPECT_EQ(got_del.alloc_ids, del.alloc_ids);
  EXPECT_EQ(got_del.service_name, "web");
  EXPECT_EQ(got_del.id, "x");
}

}  // namespace
}  // namespace caravan::state
