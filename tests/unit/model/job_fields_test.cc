// Guards the single field list (model/internal/job_fields.h) against drift:
// every member of every struct must be listed there, and the fully populated
// fixture must set every listed field, so the round-trip tests exercise them all.
#include "model/internal/cluster_fields.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "model/job.h"
#include "unit/model/full_job.h"

namespace caravan::model {
namespace field_count {

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

// Converts to any member type, so T{AnyField{}...} compiles for exactly as many
// initialisers as the aggregate T has members. (Optionals construct themselves
// from it; offering the conversion as well would be ambiguous.)
struct AnyField {
  template <class T>
  requires(!kIsOptional<T>) operator T()
      const;  // NOLINT: implicit by design; never defined (unevaluated only)
};

}  // namespace field_count

namespace {

using field_count::AnyField;

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
inline constexpr bool kIsVector = false;
template <class T>
inline constexpr bool kIsVector<std::vector<T>> = true;
template <class T>
inline constexpr bool kIsMap = false;
template <class T>
inline constexpr bool kIsMap<std::map<std::string, T>> = true;

template <class T, size_t... I>
constexpr bool brace_initialisable(std::index_sequence<I...>) {
  return requires { T{(void(I), AnyField{})...}; };
}

template <class T, size_t N = 0>
constexpr size_t member_count() {
  if constexpr (brace_initialisable<T>(std::make_index_sequence<N + 1>{})) {
    return member_count<T, N + 1>();
  } else {
    return N;
  }
}

static_assert(member_count<Constraint>() == 3);
static_assert(member_count<Task>() == 26);
static_assert(member_count<Job>() == 34);

struct FieldCounter {
  size_t count = 0;
  template <class T>
  void operator()(const char*, T&) {
    ++count;
  }
  void skip(const char*) {}
  template <class Fields>
  void nested(const char*, const Fields& fields) {
    fields(*this);
  }
};

template <class T>
size_t listed_fields() {
  T value{};
  FieldCounter counter;
  internal::visit_fields(counter, value);
  return counter.count;
}

template <class... T>
struct TypeList {};

using AllStructs =
    TypeList<Constraint, Affinity, SpreadTarget, Spread, UpdateStrategy, MigrateStrategy,
             ReschedulePolicy, RestartPolicy, EphemeralDisk, PeriodicConfig, ParameterizedJobConfig,
             Port, DnsConfig, NetworkResource, CheckRestart, ServiceCheck, Service, RequestedDevice,
             Resources, TaskLifecycle, LogConfig, TaskArtifact, ChangeScript, WaitConfig, Template,
             VolumeMount, DispatchPayloadConfig, ConsulConfig, Task, CsiMountOptions, VolumeRequest,
             ScalingPolicy, DisconnectStrategy, TaskGroup, Job>;

using ClusterStructs =
    TypeList<DriverInfo, NodeCpuResources, NodeMemoryResources, NodeDiskResources, NodeNetwork,
             NodeResources, NodeReservedResources, DrainStrategy, NodeEvent, Node, AllocatedPort,
             AllocatedTaskResources, AllocatedSharedResources, AllocatedResources,
             DesiredTransition, TaskEvent, TaskState, RescheduleEvent, RescheduleTracker,
             AllocDeploymentStatus, Allocation, AllocMetric, Evaluation, DesiredUpdates,
             PlanAnnotations>;

template <class T>
void expect_listed() {
  EXPECT_EQ(member_count<T>(), listed_fields<T>()) << typeid(T).name();
}

template <class... T>
void expect_all_listed(TypeList<T...>) {
  (expect_listed<T>(), ...);
}

TEST(JobFields, EveryStructMemberIsListedForTheCodec) { expect_all_listed(AllStructs{}); }

TEST(ClusterFields, EveryStructMemberIsListedForTheCodec) { expect_all_listed(ClusterStructs{}); }

// Records, for each "Struct.Key", whether some instance in the tree holds a
// non-default value.
class CoverageWalker {
 public:
  std::set<std::string> listed;
  std::set<std::string> set;

  template <class S>
  void walk(const S& s) {
    Visitor v{this, typeid(S).name()};
    internal::visit_fields(v, s);
  }

 private:
  struct Visitor {
    CoverageWalker* walker;
    std::string type;
    template <class T>
    void operator()(const char* key, const T& field) {
      std::string name = type + "." + key;
      walker->listed.insert(name);
      if (walker->is_set(field)) walker->set.insert(name);
    }
    void skip(const char*) {}
  };

  template <class T>
  bool is_set(const T& field) {
    if constexpr (kIsOptional<T>) {
      if (field) is_set(*field);
      return field.has_value();
    } else if constexpr (kIsVector<T>) {
      for (const auto& item : field) is_set(item);
      return !field.empty();
    } else if constexpr (kIsMap<T>) {
      for (const auto& [key, item] : field) is_set(item);
      return !field.empty();
    } else if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string> &&
                         !std::is_same_v<T, Duration> && !std::is_same_v<T, RawJson>) {
      walk(field);
      return !(field == T{});
    } else {
      return !(field == T{});
    }
  }
};

TEST(JobFields, FullJobFixtureSetsEveryField) {
  CoverageWalker walker;
  walker.walk(fixtures::full_job());
  std::vector<std::string> unset;
  for (const std::string& name : walker.listed) {
    if (walker.set.count(name) == 0) unset.push_back(name);
  }
  EXPECT_TRUE(unset.empty()) << "fields never set in full_job(): "
                             << ::testing::PrintToString(unset);
  EXPECT_GT(walker.listed.size(), 200u);
}

}  // namespace
}  // namespace caravan::model
