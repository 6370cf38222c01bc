// Generated units through `berth unit lint` and `systemd-analyze security --offline=true` (systemd
// 252, one call for all units): every check's badness, weight, range and text, and the total, must
// be equal. The units are random subsets of the directives the score reads, with valid, odd and
// invalid values, repeated lines, empty resets and drop-ins, of every unit type with settings,
// from a fixed seed and count so that a failure reproduces; a mismatch prints the unit and both
// tables.
#include "exposure_support.hpp"
#include "test_support.hpp"

#include <cstdint>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using berth::test::run;
using nlohmann::json;

namespace {

constexpr std::uint64_t kSeed = 0x6265727468; // "berth"
constexpr int kUnits = 3000;

// splitmix64: the same sequence with every compiler and standard library (the std::
// distributions are not), so a seed names one corpus everywhere.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    template <class T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
};

struct Directive {
    bool in_unit_section; // [Unit] rather than the type's own section
    std::string key;
    std::vector<std::string> values;
};

const std::vector<std::string> kBools = {"yes", "no",  "true", "0", "1",
                                         "on",  "off", "YES",  "",  "maybe"};

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Every capability systemd 252 knows, one in other case, numbers (valid, out of range, hex,
// octal) and an unknown name.
const std::vector<std::string> kCapNames =
    words("CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL "
          "CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE "
          "CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER "
          "CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT "
          "CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME "
          "CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP "
          "CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND "
          "CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE cap_net_raw 39 63 64 "
          "CAP_FOO");

// A capability list: "", "~", or one to four names, maybe inverted.
std::string cap_value(Rng& rng) {
    std::size_t shape = rng.below(10);
    if (shape == 0) return "";
    if (shape == 1) return "~";
    std::string v = rng.below(3) == 0 ? "~" : "";
    std::size_t n = 1 + rng.below(4);
    for (std::size_t i = 0; i < n; ++i) v += (i ? " " : "") + rng.pick(kCapNames);
    return v;
}

const std::vector<Directive>& directives() {
    static const std::vector<Directive> d = {
        {true, "DefaultDependencies", {"yes", "no", "", "bogus"}},
        {false, "User", {"", "root", "0", "nobody", "app", "www-data", "1000", "65534", "NOBODY"}},
        {false, "DynamicUser", {"yes", "no", "true", "off"}}, // invalid is fatal for systemd
        {false, "SupplementaryGroups", {"", "adm", "adm wheel", "0"}},
        {false, "CapabilityBoundingSet", {}},
        {false, "AmbientCapabilities", {}},
        {false, "NoNewPrivileges", kBools},
        {false, "PrivateTmp", kBools},
        {false, "PrivateDevices", kBools},
        {false, "PrivateNetwork", kBools},
        {false, "PrivateUsers", kBools},
        {false, "PrivateMounts", kBools},
        {false, "ProtectKernelTunables", kBools},
        {false, "ProtectKernelModules", kBools},
        {false, "ProtectKernelLogs", kBools},
        {false, "ProtectControlGroups", kBools},
        {false, "ProtectClock", kBools},
        {false, "ProtectHostname", kBools},
        {false, "LockPersonality", kBools},
        {false, "MemoryDenyWriteExecute", kBools},
        {false, "RestrictRealtime", kBools},
        {false, "RestrictSUIDSGID", kBools},
        {false, "RemoveIPC", kBools},
        {false, "KeyringMode", {"inherit", "private", "shared", "", "bogus"}},
        {false, "ProtectProc", {"noaccess", "invisible", "ptraceable", "default", "", "bogus"}},
        {false, "ProcSubset", {"all", "pid", "", "bogus"}},
        {false, "ProtectHome", {"yes", "no", "read-only", "tmpfs", "", "true", "bogus"}},
        {false, "ProtectSystem", {"yes", "no", "full", "strict", "", "false", "bogus"}},
        {false,
         "RestrictNamespaces",
         {"", "yes", "no", "~user", "user net", "~mnt ipc", "cgroup pid uts", "~", "bogus",
          "net bogus", "true", "~net"}},
        {false,
         "RestrictAddressFamilies",
         {"", "none", "AF_INET AF_INET6", "~AF_PACKET", "AF_UNIX", "~AF_NETLINK AF_INET",
          "AF_LOCAL", "af_inet6", "AF_ROUTE", "AF_FILE", "AF_BOGUS", "~AF_UNIX AF_BLUETOOTH",
          "AF_CAN", "~AF_INET6", "~AF_ROUTE AF_FILE"}},
        {false, "RootDirectory", {"", "/", "/srv/root", "//", "/srv/root/"}},
        {false, "RootImage", {"", "/srv/img.raw"}},
        {false, "MountImages", {"", "/srv/a.raw:/mnt/a"}},
        {false,
         "UMask",
         {"", "0022", "0027", "0077", "077", "0002", "0", "0777", "7777", "00077", "bogus", "0007",
          "0070", "0020", "0040", "0004", "0o77"}},
        {false,
         "SystemCallArchitectures",
         {"", "native", "native x86", "x86-64", "bogus", "native bogus", "x86 x32",
          "native x86-64"}},
        {false,
         "SystemCallFilter",
         {"",
          "@system-service",
          "~@mount",
          "~@privileged @resources",
          "@default @basic-io",
          "~@swap @reboot",
          "@clock",
          "~@debug:EPERM",
          "@system-service:EPERM",
          "~@obsolete",
          "@raw-io @module",
          "~bogus",
          "@bogus",
          "~@cpu-emulation @clock",
          "read write",
          "~reboot swapon",
          "~@system-service",
          "@privileged",
          "~@privileged:EACCES",
          "~@clock:kill @aio:1",
          "socketcall @swap",
          "~@resources:eperm",
          "~@mount:9999"}},
        {false, "Delegate", {"", "yes", "no", "cpu memory", "bogus"}},
        {false, "DevicePolicy", {"auto", "closed", "strict", "", "bogus"}},
        {false,
         "DeviceAllow",
         {"", "/dev/null rw", "char-rtc r", "/dev/sda", "block-loop rwm", "/dev//null r",
          "/tmp/x rw", "/dev/null rx"}},
        {false,
         "IPAddressDeny",
         {"", "any", "0.0.0.0/0", "::/0", "0.0.0.0/0 ::/0", "10.0.0.0/8", "localhost", "1.2.3.4/0",
          "bogus"}},
        {false,
         "IPAddressAllow",
         {"", "localhost", "127.0.0.1", "::1", "10.0.0.0/8", "link-local", "multicast",
          "127.0.0.1/4", "192.168.1.0/24 ::1", "any", "foo.localhost", "::1/64"}},
        {false, "IPIngressFilterPath", {"", "/sys/fs/bpf/x", "relative"}},
        {false, "IPEgressFilterPath", {"", "/sys/fs/bpf/y"}},
        {false, "NotifyAccess", {"none", "main", "exec", "all", "", "bogus"}},
        {false, "LoadCredentialEncrypted", {"", "tok:/etc/tok"}},
        {false, "LoadCredential", {"", "tok:/etc/tok"}},
    };
    return d;
}

struct GeneratedUnit {
    std::string name;
    std::string path;
    std::string text;        // the unit file
    std::string dropin_text; // NAME.d/50-gen.conf, when there is one
};

// The type's own lines, so that systemd loads the unit at all.
std::string unit_skeleton(const std::string& type, int i) {
    std::string n = std::to_string(i);
    if (type == "service") return "[Service]\nExecStart=/usr/bin/true\n";
    if (type == "socket") return "[Socket]\nListenStream=/run/berth-gen" + n + ".sock\n";
    if (type == "mount") return "[Mount]\nWhat=/dev/sdz\nWhere=/srv/g" + n + "\n";
    if (type == "swap") return "[Swap]\nWhat=/dev/g" + n + "\n";
    if (type == "slice") return "[Slice]\n";
    return "[Unit]\nDescription=generated\n";
}

std::string section_of(const std::string& type) {
    static const std::map<std::string, std::string> s = {
        {"service", "Service"}, {"socket", "Socket"}, {"mount", "Mount"},
        {"swap", "Swap"},       {"slice", "Slice"},   {"target", "Unit"}};
    return s.at(type);
}

std::string unit_name(const std::string& type, int i) {
    std::string n = std::to_string(i);
    // The user DynamicUser= derives from the name: a few that matter.
    if (type == "service" && i < 40 && i % 10 == 0)
        return std::vector<std::string>{"root", "nobody", "0", "a.b"}[i / 10] + ".service";
    if (type == "mount") return "srv-g" + n + ".mount";
    if (type == "swap") return "dev-g" + n + ".swap";
    return "g" + n + "." + type;
}

GeneratedUnit generate(Rng& rng, int i, const std::string& dir) {
    static const std::vector<std::string> types = {"service", "service", "service", "service",
                                                   "service", "service", "service", "socket",
                                                   "mount",   "swap",    "slice",   "target"};
    std::string type = rng.pick(types);
    const bool special_name = i < 40 && i % 10 == 0; // root, nobody, 0, a.b with DynamicUser=
    if (special_name) type = "service";
    GeneratedUnit g;
    g.name = unit_name(type, i);
    g.path = dir + "/" + g.name;
    std::vector<std::string> unit_lines, own_lines;
    if (special_name) own_lines.push_back("DynamicUser=yes\n");
    std::size_t n = rng.below(26);
    for (std::size_t k = 0; k < n; ++k) {
        const Directive& d = rng.pick(directives());
        std::string value = d.values.empty() ? cap_value(rng) : rng.pick(d.values);
        (d.in_unit_section ? unit_lines : own_lines).push_back(d.key + "=" + value + "\n");
    }
    // One unit in eight has its later lines in a drop-in.
    std::size_t split = own_lines.size();
    if (rng.below(8) == 0) split = rng.below(own_lines.size() + 1);
    std::string own = "[" + section_of(type) + "]\n";
    g.text = unit_skeleton(type, i);
    if (!unit_lines.empty()) {
        g.text += "[Unit]\n";
        for (const auto& l : unit_lines) g.text += l;
    }
    g.text += own;
    for (std::size_t k = 0; k < split; ++k) g.text += own_lines[k];
    if (split < own_lines.size()) {
        g.dropin_text = own;
        for (std::size_t k = split; k < own_lines.size(); ++k) g.dropin_text += own_lines[k];
    }
    return g;
}

} // namespace

TEST(UnitExposureDifferential, GeneratedUnitsScoreAsSystemdAnalyze) {
    berth::test::TempDir dir;
    Rng rng{kSeed};
    std::vector<GeneratedUnit> units;
    std::vector<std::string> files;
    for (int i = 0; i < kUnits; ++i) {
        GeneratedUnit g = generate(rng, i, dir.path);
        berth::test::write_file(g.path, g.text);
        if (!g.dropin_text.empty()) {
            fs::create_directory(g.path + ".d");
            berth::test::write_file(g.path + ".d/50-gen.conf", g.dropin_text);
        }
        files.push_back(g.path);
        units.push_back(std::move(g));
    }
    auto want = berth::test::systemd_exposure_tables(files);
    ASSERT_EQ(want.size(), files.size()) << "systemd-analyze did not assess every unit";
    auto want_scores = berth::test::systemd_exposure_scores(files);
    ASSERT_EQ(want_scores.size(), files.size());

    std::vector<std::string> argv = {berth::test::berth_exe(), "unit", "lint", "--json"};
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = run(argv);
    ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err;
    json got = json::parse(r.out);
    ASSERT_EQ(got["results"].size(), files.size());

    int mismatches = 0, shown = 0;
    std::map<std::string, std::set<std::string>> verdicts; // check -> badness values seen
    for (std::size_t i = 0; i < files.size(); ++i) {
        const json& result = got["results"][i];
        ASSERT_TRUE(result.contains("exposure")) << files[i];
        auto mine = berth::test::berth_exposure_table(result["exposure"]);
        std::string score = result["exposure"]["score"];
        for (const auto& [n, c] : want[i]) verdicts[n].insert(c.badness);
        if (score == want_scores[i] && mine == want[i]) continue;
        ++mismatches;
        if (++shown > 5) continue; // the first five in full; the count says the rest
        ADD_FAILURE() << units[i].name << ": systemd " << want_scores[i] << ", berth " << score
                      << "\n--- " << units[i].name << "\n"
                      << units[i].text
                      << (units[i].dropin_text.empty()
                              ? ""
                              : "--- " + units[i].name + ".d/50-gen.conf\n" + units[i].dropin_text)
                      << berth::test::exposure_side_by_side(want[i], mine);
    }
    EXPECT_EQ(mismatches, 0) << "of " << files.size() << " units (seed " << kSeed << ")";
    // The corpus is worth something only if every check was seen both passing and failing.
    ASSERT_EQ(verdicts.size(), 81u);
    for (const auto& [n, seen] : verdicts) {
        EXPECT_TRUE(seen.count("0")) << n << " never passed";
        EXPECT_GE(seen.size() - seen.count("n/a"), 2u) << n << " never failed";
    }
    RecordProperty("units_compared", static_cast<int>(files.size()));
}
