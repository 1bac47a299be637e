#include "client/fingerprint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "client/internal/host_info.h"
#include "client/node_identity.h"
#include "client_test_util.h"
#include "core/uuid.h"

namespace caravan::client {
namespace {

using testing::TempDir;
using testing::write_file;

constexpr const char* kCpuinfo =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
    "cpu MHz\t\t: 2199.998\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
    "cpu MHz\t\t: 2200.004\n";

TEST(HostInfo, ParsesCpuinfo) {
  internal::CpuInfo info = internal::parse_cpuinfo(kCpuinfo);
  EXPECT_EQ(info.processors, 2);
  EXPECT_EQ(info.model_name, "Intel(R) Xeon(R) CPU @ 2.20GHz");
  EXPECT_NEAR(info.mhz, 2200.004, 1e-9);
  internal::CpuInfo arm = internal::parse_cpuinfo(
      "processor\t: 0\nBogoMIPS\t: 50.00\n"
      "processor\t: 1\nBogoMIPS\t: 50.00\n");
  EXPECT_EQ(arm.processors, 2);
  EXPECT_EQ(arm.mhz, 0);
}

TEST(HostInfo, ParsesMeminfoOsReleaseAndMountinfo) {
  EXPECT_EQ(internal::parse_meminfo_total("MemFree: 1 kB\nMemTotal:       16318480 kB\n"),
            16318480LL * 1024);
  EXPECT_EQ(internal::parse_meminfo_total("nothing"), 0);
  auto os = internal::parse_os_release("# c\nID=ubuntu\nVERSION_ID=\"22.04\"\nNAME='Ubuntu'\n");
  EXPECT_EQ(os["ID"], "ubuntu");
  EXPECT_EQ(os["VERSION_ID"], "22.04");
  EXPECT_EQ(os["NAME"], "Ubuntu");
  const char* mountinfo =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "30 22 0:26 / /var/lib rw - xfs /dev/vdb rw\n"
      "31 22 0:27 / /var/lib/with\\040space rw master:2 - tmpfs tmpfs rw\n";
  EXPECT_EQ(internal::mount_source_for(mountinfo, "/home/x"), "/dev/vda1");
  EXPECT_EQ(internal::mount_source_for(mountinfo, "/var/lib/caravan"), "/dev/vdb");
  EXPECT_EQ(internal::mount_source_for(mountinfo, "/var/library"), "/dev/vda1");
  EXPECT_EQ(internal::mount_source_for(mountinfo, "/var/lib/with space/d"), "tmpfs");
  EXPECT_EQ(internal::go_arch("x86_64"), "amd64");
  EXPECT_EQ(internal::go_arch("aarch64"), "arm64");
  EXPECT_EQ(internal::go_arch("riscv64"), "riscv64");
}

TEST(NodeIdentity, IsCreatedOnceAndReadBack) {
  TempDir tmp;
  Result<NodeIdentity> first = load_or_create_node_identity(tmp.path());
  ASSERT_TRUE(first.has_value()) << first.status().to_string();
  EXPECT_TRUE(is_uuid(first->node_id));
  EXPECT_TRUE(is_uuid(first->secret_id));
  EXPECT_NE(first->node_id, first->secret_id);
  EXPECT_EQ(testing::read_file(tmp.path() + "/client/node-id"), first->node_id + "\n");
  EXPECT_EQ(*load_or_create_node_identity(tmp.path()), *first);
}

TEST(NodeIdentity, ACorruptFileIsAnErrorNotANewIdentity) {
  TempDir tmp;
  write_file(tmp.path() + "/client/node-id", "garbage\n");
  Result<NodeIdentity> id = load_or_create_node_identity(tmp.path());
  ASSERT_FALSE(id.has_value());
  EXPECT_NE(id.error().message().find("client/node-id does not hold a UUID"), std::string::npos);
}

class FakeHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.data_dir = tmp_.path() + "/data";
    std::filesystem::create_directories(config_.data_dir);
    config_.proc_dir = tmp_.path() + "/proc";
    config_.sys_dir = tmp_.path() + "/sys";
    config_.etc_dir = tmp_.path() + "/etc";
    config_.version = "0.1.0";
    config_.datacenter = "eu-west";
    config_.node_class = "edge";
    config_.meta = {{"rack", "r9"}};
    config_.advertise_ip = "192.0.2.10";
    write_file(config_.proc_dir + "/cpuinfo", kCpuinfo);
    write_file(config_.proc_dir + "/meminfo", "MemTotal: 2048000 kB\n");
    write_file(config_.proc_dir + "/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    write_file(config_.etc_dir + "/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    write_file(config_.etc_dir + "/debian_version", "12.5\n");
  }
  TempDir tmp_;
  FingerprintConfig config_;
};

TEST_F(FakeHostTest, FillsNomadAttributesAndResources) {
  Result<FingerprintResult> result = fingerprint_node(config_);
  ASSERT_TRUE(result.has_value()) << result.status().to_string();
  const model::Node& node = result->node;
  const auto& a = node.attributes;
  EXPECT_EQ(a.at("cpu.numcores"), "2");
  EXPECT_EQ(a.at("cpu.frequency"), "2200");
  EXPECT_EQ(a.at("cpu.totalcompute"), "4400");
  EXPECT_EQ(a.at("cpu.modelname"), "Intel(R) Xeon(R) CPU @ 2.20GHz");
  EXPECT_EQ(node.node_resources.cpu.cpu_shares, 4400);
  EXPECT_EQ(node.node_resources.cpu.total_cpu_cores, 2);
  EXPECT_EQ(a.at("memory.totalbytes"), std::to_string(2048000LL * 1024));
  EXPECT_EQ(node.node_resources.memory.memory_mb, 2000);
  EXPECT_EQ(a.at("unique.storage.volume"), "/dev/sda1");
  EXPECT_GT(std::stoll(a.at("unique.storage.bytestotal")), 0);
  EXPECT_EQ(node.node_resources.disk.disk_mb,
            std::stoll(a.at("unique.storage.bytesfree")) / (1024 * 1024));
  EXPECT_EQ(a.at("kernel.name"), "linux");
  EXPECT_FALSE(a.at("kernel.version").empty());
  EXPECT_FALSE(a.at("kernel.arch").empty());
  EXPECT_FALSE(a.at("cpu.arch").empty());
  EXPECT_EQ(a.at("os.name"), "debian");
  EXPECT_EQ(a.at("os.version"), "12.5");
  EXPECT_FALSE(a.at("unique.hostname").empty());
  EXPECT_EQ(a.at("unique.network.ip-address"), "192.0.2.10");
  ASSERT_EQ(node.node_resources.networks.size(), 1u);
  EXPECT_EQ(node.node_resources.networks[0].ip, "192.0.2.10");
  EXPECT_EQ(a.at("caravan.version"), "0.1.0");

  EXPECT_TRUE(is_uuid(node.id));
  EXPECT_TRUE(is_uuid(node.secret_id));
  EXPECT_EQ(node.name, a.at("unique.hostname"));
  EXPECT_EQ(node.datacenter, "eu-west");
  EXPECT_EQ(node.node_class, "edge");
  EXPECT_EQ(node.node_pool, "default");
  EXPECT_EQ(node.meta.at("rack"), "r9");
  EXPECT_EQ(node.status, model::kNodeStatusInitializing);
  // The identity survives a restart.
  EXPECT_EQ(fingerprint_node(config_)->node.id, node.id);
}

TEST_F(FakeHostTest, PrefersCpufreqMaxAndHonoursOverrides) {
  write_file(config_.sys_dir + "/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3500000\n");
  FingerprintResult result = *fingerprint_node(config_);
  EXPECT_EQ(result.node.attributes.at("cpu.frequency"), "3500");
  EXPECT_EQ(result.node.node_resources.cpu.cpu_shares, 7000);
  config_.cpu_total_compute = 1234;
  config_.memory_total_mb = 512;
  result = *fingerprint_node(config_);
  EXPECT_EQ(result.node.node_resources.cpu.cpu_shares, 1234);
  EXPECT_EQ(result.node.node_resources.memory.memory_mb, 512);
}

TEST_F(FakeHostTest, UnknownFrequencyFallsBackWithAWarning) {
  write_file(config_.proc_dir + "/cpuinfo", "processor : 0\n");
  FingerprintResult result = *fingerprint_node(config_);
  EXPECT_EQ(result.node.node_resources.cpu.cpu_shares, 1000);
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_NE(result.warnings[0].find("cpu_total_compute"), std::string::npos);
}

TEST_F(FakeHostTest, MissingMemoryAndDataDirAreErrorsNamingTheFingerprinter) {
  std::filesystem::remove(config_.proc_dir + "/meminfo");
  Result<FingerprintResult> no_mem = fingerprint_node(config_);
  ASSERT_FALSE(no_mem.has_value());
  EXPECT_NE(no_mem.error().message().find("fingerprint memory:"), std::string::npos);
}

class FailingFingerprinter final : public Fingerprinter {
 public:
  std::string_view name() const override { return "broken"; }
  Status fingerprint(const FingerprintConfig&, model::Node&,
                     std::vector<std::string>&) const override {
    return unavailable("probe failed");
  }
};

TEST_F(FakeHostTest, CustomFingerprintersRunInOrder) {
  std::vector<std::unique_ptr<Fingerprinter>> list;
  list.push_back(std::make_unique<FailingFingerprinter>());
  Result<FingerprintResult> r = fingerprint_node(config_, list);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "fingerprint broken: probe failed");
}

TEST(Fingerprint, RealHostHasSaneValues) {
  TempDir tmp;
  FingerprintConfig config;
  config.data_dir = tmp.path();
  Result<FingerprintResult> result = fingerprint_node(config);
  ASSERT_TRUE(result.has_value()) << result.status().to_string();
  const model::Node& node = result->node;
  EXPECT_GT(node.node_resources.cpu.total_cpu_cores, 0);
  EXPECT_GT(node.node_resources.cpu.cpu_shares, 0);
  EXPECT_GT(node.node_resources.memory.memory_mb, 0);
  EXPECT_GT(node.node_resources.disk.disk_mb, 0);
  EXPECT_FALSE(node.attributes.at("unique.network.ip-address").empty());
  EXPECT_EQ(node.attributes.at("kernel.name"), "linux");
}

}  // namespace
}  // namespace caravan::client
