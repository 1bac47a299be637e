// EvalBroker: priority order, one evaluation per job in flight, ack/nack with
// tokens, redelivery delays, the delivery limit, ack timeouts and delayed evals.
#include "server/eval_broker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace caravan::server {
namespace {

using std::chrono::milliseconds;

model::Evaluation make_eval(std::string id, std::string job, int priority = 50,
                            std::string type = "service", int64_t create_index = 1) {
  model::Evaluation eval;
  eval.id = std::move(id);
  eval.job_id = std::move(job);
  eval.priority = priority;
  eval.type = std::move(type);
  eval.create_index = create_index;
  return eval;
}

EvalBrokerConfig fast_config() {
  EvalBrokerConfig config;
  config.initial_nack_delay = milliseconds(20);
  config.subsequent_nack_delay = milliseconds(40);
  config.ack_timeout = milliseconds(5'000);
  return config;
}

const std::vector<std::string> kAll = {"service", "batch", "system", "sysbatch"};

TEST(EvalBroker, HandsOutHigherPriorityFirstThenOlder) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  broker.enqueue(make_eval("low", "a", 10));
  broker.enqueue(make_eval("high-new", "b", 90, "service", 5));
  broker.enqueue(make_eval("high-old", "c", 90, "batch", 2));
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    auto d = broker.dequeue(kAll, milliseconds(100));
    ASSERT_TRUE(d.has_value());
    order.push_back(d->eval.id);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"high-old", "high-new", "low"}));
}

TEST(EvalBroker, OnlyRequestedSchedulerTypesAreDelivered) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  broker.enqueue(make_eval("sys", "a", 50, "system"));
  EXPECT_FALSE(broker.dequeue({"service"}, milliseconds(10)).has_value());
  auto d = broker.dequeue({"system"}, milliseconds(10));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->eval.id, "sys");
}

TEST(EvalBroker, OneEvaluationPerJobInFlight) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  broker.enqueue(make_eval("e1", "web", 50, "service", 1));
  broker.enqueue(make_eval("e2", "web", 50, "service", 2));
  auto first = broker.dequeue(kAll, milliseconds(100));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->eval.id, "e1");
  EXPECT_FALSE(broker.dequeue(kAll, milliseconds(20)).has_value());
  EXPECT_EQ(broker.stats().waiting_job, 1u);
  ASSERT_TRUE(broker.ack(first->eval.id, first->token).is_ok());
  auto second = broker.dequeue(kAll, milliseconds(100));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->eval.id, "e2");
}

TEST(EvalBroker, AckNeedsTheDeliveryToken) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  broker.enqueue(make_eval("e1", "web"));
  auto d = broker.dequeue(kAll, milliseconds(100));
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(broker.outstanding("e1", d->token));
  Status wrong = broker.ack("e1", "not-the-token");
  EXPECT_EQ(wrong.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(broker.ack("e1", d->token).is_ok());
  EXPECT_FALSE(broker.outstanding("e1", d->token));
  EXPECT_FALSE(broker.ack("e1", d->token).is_ok());
}

TEST(EvalBroker, NackRedeliversAfterTheDelayAndKeepsTheJobBusy) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  broker.enqueue(make_eval("e1", "web", 50, "service", 1));
  auto d = broker.dequeue(kAll, milliseconds(100));
  ASSERT_TRUE(d.has_value());
  broker.enqueue(make_eval("e2", "web", 50, "service", 2));
  ASSERT_TRUE(broker.nack("e1", d->token).is_ok());
  auto start = EvalBroker::Clock::now();
  auto again = broker.dequeue(kAll, milliseconds(1'000));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->eval.id, "e1") << "the later evaluation of the job must not overtake";
  EXPECT_GE(EvalBroker::Clock::now() - start, milliseconds(15));
  EXPECT_NE(again->token, d->token);
}

TEST(EvalBroker, GivesUpAfterTheDeliveryLimit) {
  EvalBrokerConfig config = fast_config();
  config.delivery_limit = 2;
  EvalBroker broker(config);
  broker.set_enabled(true);
  broker.enqueue(make_eval("e1", "web"));
  for (int i = 0; i < 2; ++i) {
    auto d = broker.dequeue(kAll, milliseconds(1'000));
    ASSERT_TRUE(d.has_value()) << "delivery " << i + 1;
    ASSERT_TRUE(broker.nack("e1", d->token).is_ok());
  }
  EXPECT_FALSE(broker.dequeue(kAll, milliseconds(100)).has_value());
  std::vector<model::Evaluation> failed = broker.take_failed();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].id, "e1");
  // The job is free again.
  broker.enqueue(make_eval("e2", "web"));
  EXPECT_TRUE(broker.dequeue(kAll, milliseconds(100)).has_value());
}

TEST(EvalBroker, AnUnackedEvaluationTimesOutAndIsRedelivered) {
  EvalBrokerConfig config = fast_config();
  config.ack_timeout = milliseconds(30);
  EvalBroker broker(config);
  broker.set_enabled(true);
  broker.enqueue(make_eval("e1", "web"));
  auto d = broker.dequeue(kAll, milliseconds(100));
  ASSERT_TRUE(d.has_value());
  auto again = broker.dequeue(kAll, milliseconds(2'000));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->eval.id, "e1");
  EXPECT_FALSE(broker.ack("e1", d->token).is_ok()) << "the first worker lost it";
}

TEST(EvalBroker, DelayedEvaluationWaitsItsTurn) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  model::Evaluation eval = make_eval("later", "web");
  eval.wait = std::chrono::milliseconds(50);
  broker.enqueue(eval);
  EXPECT_FALSE(broker.dequeue(kAll, milliseconds(10)).has_value());
  EXPECT_EQ(broker.stats().delayed, 1u);
  auto d = broker.dequeue(kAll, milliseconds(2'000));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->eval.id, "later");
}

TEST(EvalBroker, DuplicatesAndDisabledBrokerAreIgnored) {
  EvalBroker broker(fast_config());
  broker.enqueue(make_eval("e0", "x"));  // disabled: dropped
  broker.set_enabled(true);
  EXPECT_FALSE(broker.dequeue(kAll, milliseconds(5)).has_value());
  broker.enqueue(make_eval("e1", "web"));
  broker.enqueue(make_eval("e1", "web"));
  EXPECT_EQ(broker.stats().ready, 1u);
}

TEST(EvalBroker, ShutdownWakesWaitingWorkers) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  std::atomic<bool> returned{false};
  std::thread worker([&] {
    EXPECT_FALSE(broker.dequeue(kAll, milliseconds(60'000)).has_value());
    returned = true;
  });
  broker.shutdown();
  worker.join();
  EXPECT_TRUE(returned);
}

TEST(EvalBroker, ConcurrentWorkersEachGetDistinctEvaluations) {
  EvalBroker broker(fast_config());
  broker.set_enabled(true);
  constexpr int kEvals = 200;
  for (int i = 0; i < kEvals; ++i) broker.enqueue(make_eval("e" + std::to_string(i), "job" + std::to_string(i)));
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto d = broker.dequeue(kAll, milliseconds(50))) {
        {
          std::lock_guard lock(mu);
          EXPECT_TRUE(seen.insert(d->eval.id).second) << d->eval.id << " delivered twice";
        }
        EXPECT_TRUE(broker.ack(d->eval.id, d->token).is_ok());
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kEvals));
}

}  // namespace
}  // namespace caravan::server
