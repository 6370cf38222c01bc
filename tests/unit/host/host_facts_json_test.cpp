// HostFacts <-> JSON: `berth check --facts FILE` must see exactly what `berth facts --json`
// printed on the other host.
#include "host/host_facts_json.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth::host;

namespace {

HostFacts sample() {
    HostFacts f;
    f.berth_version = "0.1.0";
    f.root = "/mnt/image";
    f.hostname = "web-1";
    f.collected_at = "2026-11-27T04:05:27Z";
    f.cpu = {"x86_64",
             "6.1.0",
             "GenuineIntel",
             "Xeon",
             4,
             {"fpu", "avx2"},
             3,
             {"avx512f"},
             {},
             "disabled",
             "ia32_emulation=0 on the kernel command line"};
    f.libc.glibc = GlibcFacts{
        "/lib/x86_64-linux-gnu/libc.so.6", "2.36", "banner", "2.36", {"GLIBC_2.2.5", "GLIBC_2.36"}};
    f.libc.musl_loaders = {"/lib/ld-musl-x86_64.so.1"};
    f.libc.ld_so_cache_present = true;
    f.libc.ld_so_cache_format = "new";
    f.libc.ld_so_cache_entries = 4294967295u;
    PathFacts p;
    p.role = "install";
    p.path = "/opt/shop";
    p.examined = "/opt";
    p.type = "directory";
    p.mode = 0755;
    p.mount =
        MountFacts{"/opt", "tmpfs", "tmpfs", {"rw", "noexec"}, {"rw"}, false, true, false, false};
    p.space = SpaceFacts{4096, 1ull << 40, 1ull << 39, 1ull << 38, 100, 50, 40};
    p.selinux_context = "system_u:object_r:usr_t:s0";
    f.paths.push_back(p);
    f.paths.push_back(PathFacts{"log", "/var/log/shop", true, "/var/log/shop", "directory", 0750,
                                998, 997, std::nullopt, std::nullopt, std::nullopt});
    f.security.apparmor = {true, true, {{"/usr/sbin/ntpd", "enforce"}}};
    f.time.clock = {true, 5, "error", false, 64, 16000000, 16000000, -12};
    f.time.daemons = {{"chronyd", 612}};
    f.time.zone = "Europe/Paris";
    f.limits.systemd_default_nofile = {true, "1024:infinity", "/etc/systemd/system.conf", 1024,
                                       std::nullopt};
    f.limits.fs_file_max = 9223372036854775807ull;
    f.limits.somaxconn = 4096;
    f.limits.swappiness = -1; // not a real value: negative numbers must survive too
    f.listen = {"127.0.0.1",
                8080,
                true,
                {{"ipv4", "0.0.0.0", 8080, 0, 1234, 77, "nginx", "nginx.service", true}}};
    f.users.user = "shop";
    f.users.exists = true;
    f.users.groups = {{"adm", 4}};
    f.systemd = {
        true, "systemd",          true,
        252,  "252.38-1~deb12u1", "/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so"};
    f.files.ca.ssl_cert_file = "/etc/custom.pem";
    f.files.ca.files = {{"/etc/custom.pem", true, "file", "", 1000, 0, 3}};
    f.files.ca.go_bundle = "/etc/custom.pem";
    f.files.nameservers = {"10.0.0.2"};
    f.notes = {"cannot read /proc/net/tcp6"};
    return f;
}

} // namespace

TEST(HostFactsJson, RoundTripsExactly) {
    HostFacts f = sample();
    nlohmann::json j = host_facts_to_json(f);
    EXPECT_EQ(j["schema"], "berth.host-facts/3");
    EXPECT_TRUE(j["paths"][1]["mount"].is_null());
    EXPECT_TRUE(j["limits"]["systemd_default_nofile"]["hard"].is_null());
    HostFacts back = host_facts_from_json(j);
    EXPECT_EQ(back, f);
    // Through text too, as a file copied from another host is read.
    std::string text = j.dump(2);
    HostFacts from_text = host_facts_from_json(nlohmann::json::parse(text));
    EXPECT_EQ(from_text, f);
    EXPECT_EQ(host_facts_to_json(from_text).dump(2), text);
}

TEST(HostFactsJson, DefaultFactsRoundTrip) {
    HostFacts f;
    EXPECT_EQ(host_facts_from_json(host_facts_to_json(f)), f);
}

TEST(HostFactsJson, RejectsWrongSchemaMissingFieldsAndWrongTypes) {
    nlohmann::json j = host_facts_to_json(sample());
    auto bad = j;
    bad["schema"] = "berth.host-facts/1"; // the version before glibc's release was a fact
    EXPECT_THROW(host_facts_from_json(bad), berth::InputError);
    bad["schema"] = "berth.host-facts/2"; // the version before cpu.ia32_emulation
    EXPECT_THROW(host_facts_from_json(bad), berth::InputError);
    bad["schema"] = "berth.host-facts/4";
    EXPECT_THROW(host_facts_from_json(bad), berth::InputError);
    bad = j;
    bad["cpu"].erase("flags");
    try {
        host_facts_from_json(bad);
        FAIL() << "missing field accepted";
    } catch (const berth::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("facts.cpu: missing field \"flags\""),
                  std::string::npos)
            << e.what();
    }
    bad = j;
    bad["cpu"]["flags"][1] = 3;
    try {
        host_facts_from_json(bad);
        FAIL() << "wrong type accepted";
    } catch (const berth::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("facts.cpu.flags[1]: expected a string"),
                  std::string::npos)
            << e.what();
    }
    bad = j;
    bad["listen"]["port"] = -5000000000LL;
    EXPECT_THROW(host_facts_from_json(bad), berth::InputError);
    bad = j;
    bad["paths"][0]["uid"] = -1;
    EXPECT_THROW(host_facts_from_json(bad), berth::InputError);
    EXPECT_THROW(host_facts_from_json(nlohmann::json::array()), berth::InputError);
}

TEST(HostFactsJson, IgnoresUnknownFields) {
    nlohmann::json j = host_facts_to_json(sample());
    j["future_field"] = 1;
    j["cpu"]["new"] = "x";
    EXPECT_EQ(host_facts_from_json(j), sample());
}
