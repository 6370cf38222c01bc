// The check rules on facts written by hand: tests/fixtures/facts/healthy.json is a healthy static
// Go binary on a healthy host (no finding); each row mutates it so that exactly one code fires, or
// so that a rule's near miss stays silent. Every code of rules::binary_rules() and
// rules::host_rules() must have a firing row, so a new rule without a test fails here.
#include "host/host_facts_json.hpp"
#include "rules/check_input.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

namespace berth {
namespace {

using nlohmann::json;

json healthy_json() {
    std::string path = test::source_dir() + "/tests/fixtures/facts/healthy.json";
    std::string text = test::read_file(path);
    EXPECT_FALSE(text.empty()) << "cannot read " << path;
    return json::parse(text);
}

rules::CheckInput input_from(const json& j) {
    rules::CheckInput in;
    in.binary = j.at("binary").get<facts::BinaryFacts>();
    in.host = j.at("host").get<host::HostFacts>();
    in.intent = j.at("intent").get<config::AppConfig>();
    in.libraries = j.at("libraries").get<facts::LibraryFacts>();
    return in;
}

// Sets a Go build setting, adding it when absent.
void set_setting(json& j, const std::string& key, const std::string& value) {
    for (auto& s : j["binary"]["go"]["settings"])
        if (s["key"] == key) {
            s["value"] = value;
            return;
        }
    j["binary"]["go"]["settings"].push_back({{"key", key}, {"value", value}});
}

void remove_setting(json& j, const std::string& key) {
    auto& settings = j["binary"]["go"]["settings"];
    for (auto it = settings.begin(); it != settings.end(); ++it)
        if ((*it)["key"] == key) {
            settings.erase(it);
            return;
        }
}

void set_fact(json& j, const std::string& fact, std::vector<std::string> evidence) {
    j["binary"]["program"][fact] = {{"present", true}, {"evidence", evidence}};
}

json& path_role(json& j, const std::string& role) {
    for (auto& p : j["host"]["paths"])
        if (p["role"] == role) return p;
    ADD_FAILURE() << "no path with role " << role << " in healthy.json";
    static json none;
    return none;
}

// A glibc dynamic cgo binary needing only libc.
void make_cgo_dynamic(json& j) {
    set_setting(j, "CGO_ENABLED", "1");
    auto& ln = j["binary"]["linkage"];
    ln["kind"] = "dynamic";
    ln["interpreter"] = "/lib64/ld-linux-x86-64.so.2";
    ln["libc"] = "glibc";
    ln["needed"] = {"libc.so.6"};
}

struct Case {
    const char* name;
    std::function<void(json&)> mutate;
    const char* code;     // "" = near miss: no finding at all
    Severity severity;    // of every finding when code is set
    const char* evidence; // a decisive value that the evidence must mention
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

const std::vector<Case>& cases() {
    static const std::vector<Case> table = {
        // B101 architecture
        {"B101_arm64_binary_on_x86_64_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "aarch64";
             j["binary"]["identity"]["goarch"] = "arm64";
             j["binary"]["identity"]["machine_code"] = 183;
         },
         "B101", Severity::error, "aarch64"},
        {"B101_x86_64_binary_on_aarch64_host",
         [](json& j) { j["host"]["cpu"]["arch"] = "aarch64"; }, "B101", Severity::error, "aarch64"},
        {"B101_near_miss_i386_binary_on_x86_64_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "i386";
             j["binary"]["identity"]["class"] = "ELF32";
             j["binary"]["identity"]["goarch"] = "386";
         },
         "", Severity::info, ""},
        // A kernel built with IA32 emulation disabled by default (CONFIG_IA32_EMULATION_DEFAULT_
        // DISABLED=y, no ia32_emulation=1 at boot) refuses i386 programs: exec format error.
        {"B101_i386_binary_on_x86_64_host_without_ia32_emulation",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "i386";
             j["binary"]["identity"]["class"] = "ELF32";
             j["binary"]["identity"]["goarch"] = "386";
             j["host"]["cpu"]["ia32_emulation"] = "disabled";
             j["host"]["cpu"]["ia32_emulation_evidence"] =
                 "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y in /boot/config-6.8.0-1-amd64; no "
                 "ia32_emulation= on the kernel command line";
         },
         "B101", Severity::error, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y"},
        {"B101_i386_binary_on_x86_64_host_booted_with_ia32_emulation_0",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "i386";
             j["binary"]["identity"]["class"] = "ELF32";
             j["binary"]["identity"]["goarch"] = "386";
             j["host"]["cpu"]["ia32_emulation"] = "disabled";
             j["host"]["cpu"]["ia32_emulation_evidence"] =
                 "ia32_emulation=0 on the kernel command line";
         },
         "B101", Severity::error, "ia32_emulation=0"},
        // Not known (no kernel config readable on a 6.7+ kernel): no finding on a guess.
        {"B101_near_miss_i386_binary_on_x86_64_host_ia32_unknown",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "i386";
             j["binary"]["identity"]["class"] = "ELF32";
             j["binary"]["identity"]["goarch"] = "386";
             j["host"]["cpu"]["ia32_emulation"] = "unknown";
         },
         "", Severity::info, ""},
        // An amd64 binary does not care.
        {"B101_near_miss_amd64_binary_ia32_disabled",
         [](json& j) { j["host"]["cpu"]["ia32_emulation"] = "disabled"; }, "", Severity::info,
         ""},
        {"B101_near_miss_i386_binary_on_i686_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "i386";
             j["binary"]["identity"]["class"] = "ELF32";
             j["binary"]["identity"]["goarch"] = "386";
             j["host"]["cpu"]["arch"] = "i686"; // uname -m of a 32-bit x86 kernel
             j["host"]["cpu"]["x86_64_level"] = 0;
         },
         "", Severity::info, ""},
        {"B101_near_miss_arm_binary_on_aarch64_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "arm";
             j["binary"]["identity"]["goarch"] = "arm";
             j["host"]["cpu"]["arch"] = "aarch64";
             j["host"]["cpu"]["x86_64_level"] = 0;
         },
         "", Severity::info, ""},
        // B102 GOAMD64
        {"B102_goamd64_v3_on_v2_host",
         [](json& j) {
             j["host"]["cpu"]["x86_64_level"] = 2;
             j["host"]["cpu"]["x86_64_next_level_missing"] = {"avx2", "bmi2"};
         },
         "B102", Severity::error, "GOAMD64=v3"},
        {"B102_near_miss_goamd64_v2_on_v2_host",
         [](json& j) {
             set_setting(j, "GOAMD64", "v2");
             j["host"]["cpu"]["x86_64_level"] = 2;
         },
         "", Severity::info, ""},
        {"B102_near_miss_goamd64_v4_level_unknown",
         [](json& j) {
             set_setting(j, "GOAMD64", "v4");
             j["host"]["cpu"]["x86_64_level"] = 0;
         },
         "", Severity::info, ""},
        {"B102_goarm7_on_armv6_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "arm";
             j["binary"]["identity"]["goarch"] = "arm";
             set_setting(j, "GOARCH", "arm");
             set_setting(j, "GOARM", "7");
             j["host"]["cpu"]["arch"] = "armv6l";
             j["host"]["cpu"]["x86_64_level"] = 0;
         },
         "B102", Severity::error, "GOARM=7"},
        {"B102_near_miss_goarm7_on_armv7_host",
         [](json& j) {
             j["binary"]["identity"]["machine"] = "arm";
             j["binary"]["identity"]["goarch"] = "arm";
             set_setting(j, "GOARCH", "arm");
             set_setting(j, "GOARM", "7");
             j["host"]["cpu"]["arch"] = "armv7l";
             j["host"]["cpu"]["x86_64_level"] = 0;
         },
         "", Severity::info, ""},
        // B103 interpreter
        {"B103_musl_binary_on_glibc_host",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             auto& ln = j["binary"]["linkage"];
             ln["kind"] = "dynamic";
             ln["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             ln["libc"] = "musl";
             ln["needed"] = {"libsqlite3.so.0", "libc.so"};
             j["libraries"]["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             j["libraries"]["interpreter_found"] = false;
         },
         "B103", Severity::error, "/lib/ld-musl-x86_64.so.1"},
        {"B103_near_miss_musl_loader_present",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             auto& ln = j["binary"]["linkage"];
             ln["kind"] = "dynamic";
             ln["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             ln["libc"] = "musl";
             ln["needed"] = {"libsqlite3.so.0", "libc.so"};
             j["libraries"]["interpreter"] = "/lib/ld-musl-x86_64.so.1";
         },
         "", Severity::info, ""},
        // Facts from another host without a library resolution still list its loaders.
        {"B103_remote_facts_without_libraries_list_no_musl_loader",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             auto& ln = j["binary"]["linkage"];
             ln["kind"] = "dynamic";
             ln["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             ln["libc"] = "musl";
             ln["needed"] = {"libsqlite3.so.0", "libc.so"};
             j["libraries"]["resolved"] = false;
         },
         "B103", Severity::error, "/lib/ld-musl-x86_64.so.1"},
        {"B103_near_miss_remote_facts_list_the_musl_loader",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             auto& ln = j["binary"]["linkage"];
             ln["kind"] = "dynamic";
             ln["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             ln["libc"] = "musl";
             ln["needed"] = {"libsqlite3.so.0", "libc.so"};
             j["libraries"]["resolved"] = false;
             j["host"]["libc"]["musl_loaders"] = {"/lib/ld-musl-x86_64.so.1"};
         },
         "", Severity::info, ""},
        {"B103_remote_facts_without_libraries_list_no_glibc_loader",
         [](json& j) {
             auto& ln = j["binary"]["linkage"];
             ln["kind"] = "dynamic";
             ln["interpreter"] = "/lib64/ld-linux-x86-64.so.2";
             ln["libc"] = "glibc";
             ln["needed"] = {"libc.so.6"};
             j["libraries"]["resolved"] = false;
             j["host"]["libc"]["glibc_loaders"] = json::array();
         },
         "B103", Severity::error, "/lib64/ld-linux-x86-64.so.2"},
        // B104 missing library
        {"B104_libpq_missing", [](json& j) { j["libraries"]["missing"] = {"libpq.so.5"}; }, "B104",
         Severity::error, "libpq.so.5"},
        {"B104_near_miss_libraries_not_resolved",
         [](json& j) {
             j["libraries"]["missing"] = {"libpq.so.5"};
             j["libraries"]["resolved"] = false;
         },
         "", Severity::info, ""},
        // B105 glibc version
        {"B105_release_and_versions_the_loader_refuses",
         [](json& j) {
             j["binary"]["versions"]["max_glibc"] = "2.34";
             auto& g = j["host"]["libc"]["glibc"];
             g["release"] = "2.31";
             g["defines_up_to"] = "2.30";
             j["libraries"]["missing_versions"] = {
                 {{"version", "GLIBC_2.32"}, {"provider", "/lib/libc.so.6"}, {"object", "app"}},
                 {{"version", "GLIBC_2.34"}, {"provider", "/lib/libc.so.6"}, {"object", "app"}}};
         },
         "B105", Severity::error,
         "glibc 2.31) defines up to GLIBC_2.30; the loader refuses GLIBC_2.32, GLIBC_2.34"},
        {"B105_needs_glibc_2_38_host_has_2_36",
         [](json& j) { j["binary"]["versions"]["max_glibc"] = "2.38"; }, "B105", Severity::error,
         "GLIBC_2.38"},
        {"B105_near_miss_needs_glibc_2_36_host_has_2_36",
         [](json& j) { j["binary"]["versions"]["max_glibc"] = "2.36"; }, "", Severity::info, ""},
        {"B105_near_miss_2_4_is_older_than_2_36",
         [](json& j) { j["binary"]["versions"]["max_glibc"] = "2.4"; }, "", Severity::info, ""},
        // B106 cgo dynamic with libc only
        {"B106_cgo_dynamic_libc_only", make_cgo_dynamic, "B106", Severity::info, "libc.so.6"},
        {"B106_musl_cgo_dynamic_libc_only",
         [](json& j) {
             make_cgo_dynamic(j);
             j["binary"]["linkage"]["interpreter"] = "/lib/ld-musl-x86_64.so.1";
             j["binary"]["linkage"]["libc"] = "musl";
             j["binary"]["linkage"]["needed"] = {"libc.so"};
         },
         "B106", Severity::info, "needed: libc.so"},
        {"B106_near_miss_cgo_needs_libssl",
         [](json& j) {
             make_cgo_dynamic(j);
             j["binary"]["linkage"]["needed"] = {"libssl.so.3", "libc.so.6"};
         },
         "", Severity::info, ""},
        // B107 kernel
        {"B107_go_1_19_on_kernel_2_6_18",
         [](json& j) { j["host"]["cpu"]["kernel_release"] = "2.6.18-400.el5"; }, "B107",
         Severity::error, "2.6.18"},
        {"B107_go_1_24_on_kernel_3_1",
         [](json& j) {
             j["binary"]["go"]["go_version"] = "go1.24.1";
             j["host"]["cpu"]["kernel_release"] = "3.1.10";
         },
         "B107", Severity::error, "3.1.10"},
        {"B107_near_miss_go_1_19_on_kernel_2_6_32",
         [](json& j) { j["host"]["cpu"]["kernel_release"] = "2.6.32-754.el6.x86_64"; }, "",
         Severity::info, ""},
        {"B107_near_miss_go_1_24_on_kernel_3_2",
         [](json& j) {
             j["binary"]["go"]["go_version"] = "go1.24.1";
             j["host"]["cpu"]["kernel_release"] = "3.2.0";
         },
         "", Severity::info, ""},
        // B108 not stripped
        {"B108_symtab_present",
         [](json& j) {
             j["binary"]["debug"]["stripped"] = false;
             j["binary"]["debug"]["strippable_bytes"] = 812345;
         },
         "B108", Severity::info, "812345"},
        {"B108_dwarf_present",
         [](json& j) {
             j["binary"]["debug"]["dwarf"] = true;
             j["binary"]["debug"]["dwarf_sections"] = {".debug_info"};
             j["binary"]["debug"]["strippable_bytes"] = 4096;
         },
         "B108", Severity::info, "DWARF"},
        {"B108_near_miss_stripped_non_go_binary",
         [](json& j) {
             j["binary"]["go"] = nullptr;
             j["binary"]["go_build_id"] = nullptr;
             j["binary"]["program"] = nullptr;
         },
         "", Severity::info, ""},
        // B109 version
        {"B109_no_revision_devel_module", [](json& j) { remove_setting(j, "vcs.revision"); },
         "B109", Severity::warning, "(devel)"},
        {"B109_near_miss_ldflags_x",
         [](json& j) {
             remove_setting(j, "vcs.revision");
             set_setting(j, "-ldflags", "-s -w -X main.version=1.2.3");
         },
         "", Severity::info, ""},
        {"B109_xlinker_is_not_a_version_flag",
         [](json& j) {
             remove_setting(j, "vcs.revision");
             set_setting(j, "-ldflags", "-extldflags=-Xlinker");
         },
         "B109", Severity::warning, "(devel)"},
        {"B109_near_miss_module_version",
         [](json& j) {
             remove_setting(j, "vcs.revision");
             j["binary"]["go"]["main"]["version"] = "v1.4.0";
         },
         "", Severity::info, ""},
        // B110 dirty tree
        {"B110_vcs_modified", [](json& j) { set_setting(j, "vcs.modified", "true"); }, "B110",
         Severity::warning, "vcs.modified=true"},
        {"B110_near_miss_no_vcs_modified_setting",
         [](json& j) { remove_setting(j, "vcs.modified"); }, "", Severity::info, ""},
        // B111 race
        {"B111_race_build", [](json& j) { set_setting(j, "-race", "true"); }, "B111",
         Severity::warning, "-race=true"},
        {"B111_near_miss_race_false", [](json& j) { set_setting(j, "-race", "false"); }, "",
         Severity::info, ""},
        // B112 SIGTERM
        {"B112_no_signal_handling",
         [](json& j) {
             j["binary"]["program"]["signal_handling"] = {{"present", false},
                                                          {"evidence", json::array()}};
         },
         "B112", Severity::warning, "os/signal.Notify"},
        {"B112_no_signal_handling_http_server",
         [](json& j) {
             j["binary"]["program"]["signal_handling"] = {{"present", false},
                                                          {"evidence", json::array()}};
             set_fact(j, "http_server", {"net/http.(*conn).serve"});
         },
         "B112", Severity::warning, "net/http.(*conn).serve"},
        {"B112_near_miss_function_table_unread", [](json& j) { j["binary"]["program"] = nullptr; },
         "", Severity::info, ""},
        // B113 pprof
        {"B113_pprof", [](json& j) { set_fact(j, "pprof", {"net/http/pprof.init"}); }, "B113",
         Severity::warning, "net/http/pprof.init"},
        {"B113_near_miss_expvar_only", [](json& j) { set_fact(j, "expvar", {"expvar.init"}); }, "",
         Severity::info, ""},
        // B114 TLS without CA
        {"B114_tls_client_no_ca",
         [](json& j) {
             set_fact(j, "tls_client", {"crypto/tls.(*Conn).clientHandshake-fm"});
             j["host"]["files"]["ca"]["go_finds_roots"] = false;
         },
         "B114", Severity::error, "crypto/tls.(*Conn).clientHandshake-fm"},
        {"B114_near_miss_tls_client_with_ca",
         [](json& j) { set_fact(j, "tls_client", {"crypto/tls.(*Conn).clientHandshake-fm"}); }, "",
         Severity::info, ""},
        // B115 time zones without tzdata
        {"B115_load_location_no_zoneinfo",
         [](json& j) {
             set_fact(j, "timezone_loading", {"time.LoadLocation"});
             for (auto& d : j["host"]["files"]["zoneinfo_dirs"]) {
                 d["exists"] = false;
                 d["entries"] = 0;
             }
         },
         "B115", Severity::error, "time.LoadLocation"},
        {"B115_near_miss_tzdata_embedded",
         [](json& j) {
             set_fact(j, "timezone_loading", {"time.LoadLocation"});
             set_fact(j, "tzdata_embedded", {"time/tzdata.init"});
             for (auto& d : j["host"]["files"]["zoneinfo_dirs"]) d["exists"] = false;
         },
         "", Severity::info, ""},
        // B116 sd_notify
        {"B116_sd_notify",
         [](json& j) {
             set_fact(j, "sd_notify", {"github.com/coreos/go-systemd/v22/daemon.SdNotify"});
         },
         "B116", Severity::info, "github.com/coreos/go-systemd/v22/daemon.SdNotify"},
        {"B116_near_miss_prometheus_only",
         [](json& j) { set_fact(j, "prometheus", {"github.com/prometheus/client_golang/x"}); }, "",
         Severity::info, ""},
        // H201 CA bundle
        {"H201_no_ca_bundle",
         [](json& j) {
             auto& ca = j["host"]["files"]["ca"];
             ca["go_finds_roots"] = false;
             ca["go_bundle"] = "";
             ca["files"][0]["exists"] = false;
         },
         "H201", Severity::warning, "/etc/ssl/certs/ca-certificates.crt"},
        {"H201_near_miss_bundle_file_missing_but_dir_has_certs",
         [](json& j) { j["host"]["files"]["ca"]["files"][0]["exists"] = false; }, "",
         Severity::info, ""},
        // H202 tzdata
        {"H202_no_zoneinfo",
         [](json& j) {
             for (auto& d : j["host"]["files"]["zoneinfo_dirs"]) {
                 d["exists"] = false;
                 d["entries"] = 0;
             }
         },
         "H202", Severity::warning, "/usr/share/zoneinfo"},
        {"H202_near_miss_empty_zoneinfo_but_tzdata_embedded",
         [](json& j) {
             set_fact(j, "tzdata_embedded", {"time/tzdata.init"});
             for (auto& d : j["host"]["files"]["zoneinfo_dirs"]) d["entries"] = 0;
         },
         "", Severity::info, ""},
        // H203 resolver pitfalls
        {"H203_no_resolv_conf",
         [](json& j) { j["host"]["files"]["resolv_conf"]["exists"] = false; }, "H203",
         Severity::warning, "/etc/resolv.conf"},
        {"H203_pure_go_resolver_with_mdns",
         [](json& j) {
             j["host"]["files"]["nsswitch_hosts"] = "files mdns4_minimal [NOTFOUND=return] dns";
         },
         "H203", Severity::warning, "mdns4_minimal"},
        {"H203_static_glibc_cgo_resolver",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             j["binary"]["linkage"]["libc"] = "glibc";
         },
         "H203", Severity::warning, "statically linked against glibc"},
        {"H203_near_miss_static_glibc_netgo",
         [](json& j) {
             set_setting(j, "CGO_ENABLED", "1");
             set_setting(j, "-tags", "netgo,osusergo");
             j["binary"]["linkage"]["libc"] = "glibc";
         },
         "", Severity::info, ""},
        {"H203_near_miss_nsswitch_action_words",
         [](json& j) { j["host"]["files"]["nsswitch_hosts"] = "files [NOTFOUND=return] dns"; }, "",
         Severity::info, ""},
        // H204 noexec
        {"H204_install_dir_noexec",
         [](json& j) {
             auto& m = path_role(j, "install")["mount"];
             m["mount_point"] = "/opt";
             m["noexec"] = true;
             m["options"] = {"rw", "nosuid", "nodev", "noexec"};
         },
         "H204", Severity::error, "noexec"},
        {"H204_near_miss_log_dir_noexec",
         [](json& j) {
             auto& m = path_role(j, "log")["mount"];
             m["mount_point"] = "/var/log";
             m["noexec"] = true;
             m["options"] = {"rw", "noexec"};
         },
         "", Severity::info, ""},
        // H205 read-only
        {"H205_log_dir_read_only",
         [](json& j) {
             auto& m = path_role(j, "log")["mount"];
             m["mount_point"] = "/var/log";
             m["read_only"] = true;
             m["options"] = {"ro", "relatime"};
         },
         "H205", Severity::error, "ro,relatime"},
        {"H205_near_miss_config_dir_read_only",
         [](json& j) {
             auto& m = path_role(j, "config")["mount"];
             m["read_only"] = true;
             m["options"] = {"ro"};
         },
         "", Severity::info, ""},
        // H206 binary mode
        {"H206_binary_mode_0700_owned_by_root",
         [](json& j) { path_role(j, "binary")["mode"] = 0700; }, "H206", Severity::error, "0700"},
        {"H206_binary_mode_0644_no_user",
         [](json& j) {
             j["intent"]["user"] = "";
             path_role(j, "binary")["mode"] = 0644;
         },
         "H206", Severity::error, "0644"},
        {"H206_near_miss_group_may_execute",
         [](json& j) {
             auto& b = path_role(j, "binary");
             b["mode"] = 0750;
             b["gid"] = 998;
         },
         "", Severity::info, ""},
        // H207 SELinux
        {"H207_selinux_enforcing_user_home_t",
         [](json& j) {
             j["host"]["security"]["selinux"]["present"] = true;
             j["host"]["security"]["selinux"]["mode"] = "enforcing";
             path_role(j, "binary")["selinux_context"] = "unconfined_u:object_r:user_home_t:s0";
         },
         "H207", Severity::error, "user_home_t"},
        {"H207_near_miss_selinux_enforcing_bin_t",
         [](json& j) {
             j["host"]["security"]["selinux"]["present"] = true;
             j["host"]["security"]["selinux"]["mode"] = "enforcing";
             path_role(j, "binary")["selinux_context"] = "system_u:object_r:bin_t:s0";
         },
         "", Severity::info, ""},
        {"H207_near_miss_selinux_permissive_user_home_t",
         [](json& j) {
             j["host"]["security"]["selinux"]["present"] = true;
             j["host"]["security"]["selinux"]["mode"] = "permissive";
             path_role(j, "binary")["selinux_context"] = "unconfined_u:object_r:user_home_t:s0";
         },
         "", Severity::info, ""},
        // H208 AppArmor
        {"H208_apparmor_enforce_profile_for_binary",
         [](json& j) {
             j["host"]["security"]["apparmor"]["profiles"].push_back(
                 {{"name", "/opt/app/app"}, {"mode", "enforce"}});
         },
         "H208", Severity::warning, "/opt/app/app"},
        {"H208_near_miss_complain_mode",
         [](json& j) {
             j["host"]["security"]["apparmor"]["profiles"].push_back(
                 {{"name", "/opt/app/app"}, {"mode", "complain"}});
         },
         "", Severity::info, ""},
        // H209 clock
        {"H209_clock_unsynchronised",
         [](json& j) {
             auto& c = j["host"]["time"]["clock"];
             c["synchronized"] = false;
             c["state"] = 5;
             c["state_name"] = "error";
             c["status"] = 64;
         },
         "H209", Severity::warning, "state error"},
        {"H209_near_miss_clock_unreadable",
         [](json& j) {
             auto& c = j["host"]["time"]["clock"];
             c["read"] = false;
             c["synchronized"] = false;
         },
         "", Severity::info, ""},
        // H210 time daemon
        {"H210_no_time_daemon", [](json& j) { j["host"]["time"]["daemons"] = json::array(); },
         "H210", Severity::warning, "chronyd"},
        {"H210_near_miss_chronyd",
         [](json& j) {
             j["host"]["time"]["daemons"] = {{{"name", "chronyd"}, {"pid", 500}}};
         },
         "", Severity::info, ""},
        // H211 file descriptors
        {"H211_default_limit_nofile_unset",
         [](json& j) {
             auto& d = j["host"]["limits"]["systemd_default_nofile"];
             d["set"] = false;
             d["raw"] = "1024:524288";
             d["soft"] = 1024;
         },
         "H211", Severity::warning, "DefaultLimitNOFILE not set"},
        {"H211_default_limit_nofile_4096",
         [](json& j) {
             auto& d = j["host"]["limits"]["systemd_default_nofile"];
             d["raw"] = "4096";
             d["soft"] = 4096;
             d["hard"] = 4096;
         },
         "H211", Severity::warning, "DefaultLimitNOFILE=4096"},
        {"H211_fs_nr_open_below_need_is_an_error",
         [](json& j) {
             j["host"]["limits"]["fs_nr_open"] = 1024;
             j["intent"]["nofile"] = 4096;
             j["host"]["limits"]["systemd_default_nofile"]["soft"] = 8192;
         },
         "H211", Severity::error, "fs.nr_open = 1024"},
        {"H211_near_miss_infinity",
         [](json& j) {
             auto& d = j["host"]["limits"]["systemd_default_nofile"];
             d["raw"] = "infinity";
             d["soft"] = nullptr;
             d["hard"] = nullptr;
         },
         "", Severity::info, ""},
        {"H211_near_miss_unset_but_need_1024",
         [](json& j) {
             j["host"]["limits"]["systemd_default_nofile"]["set"] = false;
             j["intent"]["nofile"] = 1024;
         },
         "", Severity::info, ""},
        // H212 somaxconn
        {"H212_somaxconn_128", [](json& j) { j["host"]["limits"]["somaxconn"] = 128; }, "H212",
         Severity::warning, "net.core.somaxconn = 128"},
        {"H212_near_miss_somaxconn_128_not_listening",
         [](json& j) {
             j["host"]["limits"]["somaxconn"] = 128;
             j["intent"]["listen_port"] = 0;
         },
         "", Severity::info, ""},
        // H213 port
        {"H213_port_8080_in_use",
         [](json& j) {
             j["host"]["listen"]["port_in_use"] = true;
             j["host"]["listen"]["listeners"].push_back({{"family", "ipv4"},
                                                         {"address", "0.0.0.0"},
                                                         {"port", 8080},
                                                         {"uid", 33},
                                                         {"inode", 4242},
                                                         {"pid", 1234},
                                                         {"process", "nginx"},
                                                         {"unit", "nginx.service"},
                                                         {"conflicts", true}});
         },
         "H213", Severity::error, "nginx (pid 1234) listens on 0.0.0.0:8080"},
        // The app's own running service holds the port: restarting it frees it.
        {"H213_near_miss_the_apps_own_service",
         [](json& j) {
             j["host"]["listen"]["port_in_use"] = true;
             j["host"]["listen"]["listeners"].push_back({{"family", "ipv4"},
                                                         {"address", "0.0.0.0"},
                                                         {"port", 8080},
                                                         {"uid", 0},
                                                         {"inode", 4243},
                                                         {"pid", 777},
                                                         {"process", "app"},
                                                         {"unit", "app.service"},
                                                         {"conflicts", true}});
         },
         "", Severity::info, ""},
        {"H213_near_miss_other_port",
         [](json& j) {
             j["host"]["listen"]["listeners"].push_back({{"family", "ipv4"},
                                                         {"address", "0.0.0.0"},
                                                         {"port", 8088},
                                                         {"uid", 33},
                                                         {"inode", 4242},
                                                         {"pid", 1234},
                                                         {"process", "nginx"},
                                                         {"unit", "nginx.service"},
                                                         {"conflicts", false}});
         },
         "", Severity::info, ""},
        // H214 space
        {"H214_100_mib_free",
         [](json& j) { path_role(j, "install")["space"]["bytes_available"] = 100 << 20; }, "H214",
         Severity::error, "100 MiB available"},
        {"H214_inodes_exhausted",
         [](json& j) { path_role(j, "log")["space"]["inodes_available"] = 12; }, "H214",
         Severity::error, "12 of"},
        {"H214_near_miss_exactly_min_free",
         [](json& j) { path_role(j, "install")["space"]["bytes_available"] = 1 << 30; }, "",
         Severity::info, ""},
        {"H214_near_miss_no_inode_limit",
         [](json& j) {
             auto& s = path_role(j, "log")["space"];
             s["inodes_total"] = 0;
             s["inodes_available"] = 0;
             s["inodes_free"] = 0;
         },
         "", Severity::info, ""},
        // H215 user
        {"H215_user_missing",
         [](json& j) {
             j["intent"]["user"] = "svc-missing";
             auto& u = j["host"]["users"];
             u["user"] = "svc-missing";
             u["exists"] = false;
         },
         "H215", Severity::error, "svc-missing"},
        {"H215_near_miss_dynamic_user",
         [](json& j) {
             j["intent"]["user"] = "";
             j["host"]["users"]["user"] = "";
             j["host"]["users"]["exists"] = false;
         },
         "", Severity::info, ""},
        // H216 log dir
        {"H216_log_dir_owned_by_root_0755",
         [](json& j) {
             auto& l = path_role(j, "log");
             l["uid"] = 0;
             l["gid"] = 0;
         },
         "H216", Severity::error, "mode 0755, owner 0:0"},
        {"H216_near_miss_group_writable",
         [](json& j) {
             auto& l = path_role(j, "log");
             l["uid"] = 0;
             l["gid"] = 998;
             l["mode"] = 0775;
         },
         "", Severity::info, ""},
        {"H216_near_miss_log_dir_absent",
         [](json& j) {
             auto& l = path_role(j, "log");
             l["exists"] = false;
             l["examined"] = "/var/log";
             l["uid"] = 0;
         },
         "", Severity::info, ""},
        // B117/B118 truncated copies
        {"B117_loadable_segment_cut",
         [](json& j) {
             j["binary"]["truncation"]["cut_loaded"] = {"PT_LOAD segment 2 (file bytes 0x1000-0x9000)"};
             j["binary"]["truncation"]["file_size"] = 20000;
             j["binary"]["truncation"]["expected_size"] = 36864;
         },
         "B117", Severity::error, "PT_LOAD segment 2 (file bytes 0x1000-0x9000) runs past"},
        {"B118_debug_sections_cut",
         [](json& j) {
             j["binary"]["truncation"]["cut_other"] = {"section .debug_info (file bytes 0x9000-0xa000)",
                                                      "section header table (file bytes 0xa000-0xa400)"};
         },
         "B118", Severity::warning, "section .debug_info"},
        // B119 a non-glibc version the host's library lacks
        {"B119_glibcxx_missing",
         [](json& j) {
             j["libraries"]["missing_versions"] = {{{"version", "GLIBCXX_3.4.30"},
                                                    {"provider", "/usr/lib/libstdc++.so.6"},
                                                    {"object", "/opt/app/app"}}};
         },
         "B119", Severity::error, "version `GLIBCXX_3.4.30' not found (required by /opt/app/app)"},
        {"B119_near_miss_only_glibc_versions",
         [](json& j) {
             j["libraries"]["missing_versions"] = {
                 {{"version", "GLIBC_2.38"}, {"provider", "/lib/libc.so.6"}, {"object", "app"}}};
         },
         "", Severity::info, ""},
        // H217 systemd
        {"H217_pid1_is_bash",
         [](json& j) {
             j["host"]["systemd"]["pid1_is_systemd"] = false;
             j["host"]["systemd"]["pid1_comm"] = "bash";
             j["host"]["systemd"]["booted"] = false;
         },
         "H217", Severity::error, "PID 1 is bash"},
        {"H217_not_installed",
         [](json& j) {
             j["host"]["systemd"] = {{"pid1_is_systemd", false}, {"pid1_comm", "tini"},
                                     {"booted", false},          {"version", 0},
                                     {"version_full", ""},       {"version_source", ""}};
         },
         "H217", Severity::error, "systemd version none"},
        {"H217_image_without_systemd",
         [](json& j) {
             j["host"]["root"] = "/srv/image";
             j["host"]["systemd"]["version"] = 0;
         },
         "H217", Severity::error, "no libsystemd-shared-NNN.so under /srv/image"},
        {"H217_near_miss_image_with_systemd_while_pid1_here_is_not",
         [](json& j) {
             j["host"]["root"] = "/srv/image";
             j["host"]["systemd"]["pid1_is_systemd"] = false;
             j["host"]["systemd"]["pid1_comm"] = "bash";
         },
         "", Severity::info, ""},
        {"H217_near_miss_systemd_pid1_not_booted_marker",
         [](json& j) { j["host"]["systemd"]["booted"] = false; }, "", Severity::info, ""},
    };
    return table;
}

std::string describe(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out +=
            f.code + " [" + severity_name(f.severity) + "] " + f.title + " | " + f.evidence + "\n";
    return out;
}

TEST(CheckRules, HealthyFixtureHasNoFinding) {
    rules::Judgement j = rules::judge_check(input_from(healthy_json()));
    EXPECT_TRUE(j.findings.empty()) << describe(j.findings);
    EXPECT_TRUE(j.not_judged.empty()) << j.not_judged.front().code;
}

TEST(CheckRules, HealthyBinaryFactsRoundTrip) {
    json j = healthy_json();
    facts::BinaryFacts facts = j.at("binary").get<facts::BinaryFacts>();
    json again = facts;
    EXPECT_EQ(again, j.at("binary"));
    EXPECT_EQ(facts.go_setting("GOAMD64"), "v3");
    ASSERT_TRUE(facts.program);
    EXPECT_TRUE(facts.program->signal_handling.present);
}

TEST(CheckRules, AppConfigRoundTrip) {
    json j = healthy_json();
    config::AppConfig intent = j.at("intent").get<config::AppConfig>();
    EXPECT_EQ(intent.user, "app");
    EXPECT_EQ(intent.listen_port, 8080);
    json again = intent;
    for (auto it = j.at("intent").begin(); it != j.at("intent").end(); ++it)
        EXPECT_EQ(again.at(it.key()), it.value()) << it.key();
    EXPECT_EQ(json(again.get<config::AppConfig>()), again);
    config::AppConfig defaults = json::object().get<config::AppConfig>();
    EXPECT_EQ(defaults.nofile, 65536u);
}

// One test per row: ctest names each case (CheckRuleCases/CheckRuleCase.Fires/B101_...).
class CheckRuleCase : public ::testing::TestWithParam<Case> {};

TEST_P(CheckRuleCase, Fires) {
    const Case& c = GetParam();
    json j = healthy_json();
    c.mutate(j);
    auto findings = rules::judge_check(input_from(j)).findings;
    if (std::string(c.code).empty()) {
        EXPECT_TRUE(findings.empty()) << describe(findings);
        return;
    }
    ASSERT_FALSE(findings.empty()) << c.code << " did not fire";
    bool mentioned = false;
    for (const auto& f : findings) {
        EXPECT_EQ(f.code, c.code) << describe(findings);
        if (f.code != c.code) continue;
        if (f.severity == c.severity && f.evidence.find(c.evidence) != std::string::npos)
            mentioned = true;
        EXPECT_FALSE(f.title.empty());
        EXPECT_FALSE(f.fix.empty());
    }
    EXPECT_TRUE(mentioned) << "no " << c.code << " finding with severity "
                           << severity_name(c.severity) << " and evidence mentioning '"
                           << c.evidence << "':\n"
                           << describe(findings);
}

INSTANTIATE_TEST_SUITE_P(CheckRuleCases, CheckRuleCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& row) {
                             return std::string(row.param.name);
                         });

TEST(CheckRules, EveryRuleHasAFiringCase) {
    std::set<std::string> firing;
    for (const auto& c : cases())
        if (*c.code) firing.insert(c.code);
    std::size_t rules = 0;
    for (const auto* table : {&rules::binary_rules(), &rules::host_rules()})
        for (const auto& rule : *table) {
            ++rules;
            EXPECT_TRUE(firing.count(rule.info.code)) << rule.info.code << " has no firing case";
        }
    EXPECT_EQ(rules, 36u); // B101-B119 and H201-H217
}

// What the facts cannot tell is said, rule by rule, instead of passing in silence.
TEST(CheckRules, RulesWithoutTheirFactsAreNotJudged) {
    std::set<std::string> running = {"B101", "B102", "B107", "H204", "H205", "H207",
                                     "H208", "H209", "H210", "H212", "H213", "H214"};
    json image = healthy_json();
    image["host"]["root"] = "/srv/image";
    rules::Judgement a = rules::judge_check(input_from(image));
    std::set<std::string> codes;
    for (const auto& n : a.not_judged) {
        codes.insert(n.code);
        EXPECT_NE(n.reason.find("--root /srv/image"), std::string::npos) << n.reason;
        EXPECT_FALSE(n.title.empty());
    }
    EXPECT_EQ(codes, running);

    json remote = healthy_json();
    remote["libraries"]["resolved"] = false;
    rules::Judgement b = rules::judge_check(input_from(remote));
    codes.clear();
    for (const auto& n : b.not_judged) {
        codes.insert(n.code);
        EXPECT_NE(n.reason.find("--libraries"), std::string::npos) << n.reason;
    }
    EXPECT_EQ(codes, (std::set<std::string>{"B104", "B119"}));
}

TEST(CheckRules, CaseNamesAreUnique) {
    std::set<std::string> names;
    for (const auto& c : cases()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

} // namespace
} // namespace berth

namespace berth {
namespace {

std::vector<Finding> h211_of(const rules::CheckInput& in) {
    std::vector<Finding> out;
    for (auto& f : rules::judge_check(in).findings)
        if (f.code == "H211") out.push_back(f);
    return out;
}

// The unit's own LimitNOFILE= decides when it is known (deploy): systemd's default is not
// what the service gets.
TEST(CheckRules, TheUnitsLimitNofileReplacesSystemdsDefault) {
    json j = healthy_json();
    j["host"]["limits"]["systemd_default_nofile"]["set"] = false;
    j["intent"]["nofile"] = 65536;
    rules::CheckInput in = input_from(j);
    ASSERT_EQ(h211_of(in).size(), 1u); // the default 1024 applies

    in.unit_nofile = 65536;
    EXPECT_TRUE(h211_of(in).empty());
    in.unit_nofile = UINT64_MAX; // infinity
    EXPECT_TRUE(h211_of(in).empty());

    in.unit_nofile = 4096;
    auto low = h211_of(in);
    ASSERT_EQ(low.size(), 1u);
    EXPECT_EQ(low[0].evidence, "LimitNOFILE=4096 in the unit");

    // fs.nr_open still caps what any unit can set.
    in.unit_nofile = 65536;
    in.host.limits.fs_nr_open = 1024;
    auto capped = h211_of(in);
    ASSERT_EQ(capped.size(), 1u);
    EXPECT_EQ(capped[0].severity, Severity::error);
}

} // namespace
} // namespace berth
