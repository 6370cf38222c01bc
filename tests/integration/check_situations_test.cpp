// `berth check` run for real (as root, as in CI) in situations the test makes and always undoes:
// a noexec tmpfs as install dir, a port the test listens on, missing users, --root trees without
// CA bundle or tzdata, with an old glibc or only musl; then every Go fixture, compared on the
// binary codes with what its manifest facts deserve; then the output formats and exit statuses.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

namespace berth {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CheckRun {
    int status = -1;
    json doc;
    std::set<std::string> codes;
    std::vector<json> findings;
    std::string err;

    const json* finding(const std::string& code) const {
        for (const auto& f : findings)
            if (f.value("code", "") == code) return &f;
        return nullptr;
    }
    std::string describe() const {
        std::string out = "exit " + std::to_string(status) + "; codes:";
        for (const auto& c : codes) out += " " + c;
        return out + "; stderr: " + err;
    }
};

// The environment's SSL_CERT_FILE/SSL_CERT_DIR would replace Go's bundle list: not wanted here.
std::vector<std::string> berth_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"env",          "-u",         "SSL_CERT_FILE",  "-u",
                                     "SSL_CERT_DIR", "NO_COLOR=1", test::berth_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

CheckRun check(const std::string& binary, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args = {"check", "--json", binary};
    args.insert(args.end(), options.begin(), options.end());
    auto r = test::run(berth_argv(args));
    CheckRun out;
    out.status = r.status;
    out.err = r.err;
    try {
        out.doc = json::parse(r.out);
        for (const auto& result : out.doc.at("results"))
            for (const auto& f : result.at("findings")) {
                out.codes.insert(f.at("code").get<std::string>());
                out.findings.push_back(f);
            }
    } catch (const json::exception& e) {
        ADD_FAILURE() << "berth check --json " << binary << ": " << e.what()
                      << "\nstdout: " << r.out << "\nstderr: " << r.err;
    }
    return out;
}

bool has(const CheckRun& r, const std::string& code) {
    return r.codes.count(code) > 0;
}

std::string evidence(const CheckRun& r, const std::string& code) {
    const json* f = r.finding(code);
    return f ? f->value("title", "") + " | " + f->value("evidence", "") : "";
}

// A tmpfs mounted on a fresh directory, unmounted and removed on scope exit.
struct TmpfsMount {
    test::TempDir dir;
    bool mounted = false;
    explicit TmpfsMount(unsigned long flags) {
        mounted = ::mount("tmpfs", dir.path.c_str(), "tmpfs", flags, "size=4m,mode=0755") == 0;
        if (!mounted) ADD_FAILURE() << "mount tmpfs on " << dir.path << ": " << strerror(errno);
    }
    ~TmpfsMount() {
        if (mounted) ::umount2(dir.path.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
};

// A TCP socket listening on 127.0.0.1 at a port the kernel picks; closed on scope exit.
struct Listening {
    int fd = -1;
    int port = 0;
    Listening() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd, 16) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            ADD_FAILURE() << "cannot listen on 127.0.0.1: " << strerror(errno);
            return;
        }
        port = ntohs(addr.sin_port);
    }
    ~Listening() {
        if (fd >= 0) ::close(fd);
    }
    Listening(const Listening&) = delete;
    Listening& operator=(const Listening&) = delete;
};

void copy_into(const std::string& from, const std::string& to) {
    fs::create_directories(fs::path(to).parent_path());
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) ADD_FAILURE() << "copy " << from << " -> " << to << ": " << ec.message();
}

// --- situations on the real host ---------------------------------------------------------------

TEST(CheckSituations, NoexecInstallDirFiresH204) {
    std::string binary = test::fixture("go/cgo-off");
    {
        TmpfsMount noexec(MS_NOEXEC | MS_NOSUID | MS_NODEV);
        auto r = check(binary, {"--install-dir", noexec.dir.path + "/opt/app"});
        EXPECT_TRUE(has(r, "H204")) << r.describe();
        EXPECT_NE(evidence(r, "H204").find("noexec"), std::string::npos) << evidence(r, "H204");
        EXPECT_NE(evidence(r, "H204").find(noexec.dir.path), std::string::npos);
        EXPECT_EQ(r.status, 1);
    }
    TmpfsMount exec(MS_NOSUID | MS_NODEV);
    auto r = check(binary, {"--install-dir", exec.dir.path + "/opt/app"});
    EXPECT_FALSE(has(r, "H204")) << r.describe();
}

TEST(CheckSituations, PortInUseFiresH213) {
    std::string binary = test::fixture("go/cgo-off");
    int free_port = 0;
    {
        Listening busy;
        ASSERT_GT(busy.port, 0);
        auto r = check(binary, {"--listen", "127.0.0.1:" + std::to_string(busy.port)});
        EXPECT_TRUE(has(r, "H213")) << r.describe();
        EXPECT_NE(evidence(r, "H213").find(std::to_string(busy.port)), std::string::npos)
            << evidence(r, "H213");
        // Another address on the same port overlaps only with wildcards: 127.0.0.1 is taken.
        Listening other;
        free_port = other.port;
    } // both closed: `other`'s port is now free (the kernel does not reuse it at once)
    auto r = check(binary, {"--listen", "127.0.0.1:" + std::to_string(free_port)});
    EXPECT_FALSE(has(r, "H213")) << r.describe();
}

TEST(CheckSituations, MissingUserFiresH215) {
    std::string binary = test::fixture("go/cgo-off");
    auto missing = check(binary, {"--user", "berth-no-such-user-91"});
    EXPECT_TRUE(has(missing, "H215")) << missing.describe();
    EXPECT_NE(evidence(missing, "H215").find("berth-no-such-user-91"), std::string::npos);
    for (const char* user : {"root", "nobody"}) {
        auto r = check(binary, {"--user", user});
        EXPECT_FALSE(has(r, "H215")) << user << ": " << r.describe();
    }
}

TEST(CheckSituations, BinaryInsideRootIsExaminedWhereItLiesInTheImage) {
    test::TempDir root;
    copy_into(test::fixture("go/cgo-off"), root.path + "/opt/app/bin/app");
    fs::permissions(root.path + "/opt/app/bin/app", fs::perms(0644));
    test::write_file(root.path + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    test::write_file(root.path + "/etc/group", "root:x:0:\n");
    auto r = check(root.path + "/opt/app/bin/app", {"--root", root.path, "--user", "root"});
    EXPECT_TRUE(has(r, "H206")) << r.describe();
    EXPECT_NE(evidence(r, "H206").find("/opt/app/bin/app"), std::string::npos);
    fs::permissions(root.path + "/opt/app/bin/app", fs::perms(0755));
    r = check(root.path + "/opt/app/bin/app", {"--root", root.path, "--user", "root"});
    EXPECT_FALSE(has(r, "H206")) << r.describe();
}

TEST(CheckSituations, RootWithoutCaBundleOrTzdataFiresH201H202) {
    std::string binary = test::fixture("go/cgo-off");
    test::TempDir root;
    fs::create_directories(root.path + "/etc");
    fs::create_directories(root.path + "/usr/share");
    auto bare = check(binary, {"--root", root.path});
    EXPECT_TRUE(has(bare, "H201")) << bare.describe();
    EXPECT_TRUE(has(bare, "H202")) << bare.describe();
    EXPECT_NE(evidence(bare, "H201").find("/etc/ssl/certs/ca-certificates.crt"), std::string::npos);
    EXPECT_NE(evidence(bare, "H202").find("/usr/share/zoneinfo"), std::string::npos);

    copy_into("/etc/ssl/certs/ca-certificates.crt",
              root.path + "/etc/ssl/certs/ca-certificates.crt");
    for (const char* zone : {"UTC", "Etc/UTC", "Europe/Paris", "America/New_York"})
        copy_into(std::string("/usr/share/zoneinfo/") + zone,
                  root.path + "/usr/share/zoneinfo/" + zone);
    auto complete = check(binary, {"--root", root.path});
    EXPECT_FALSE(has(complete, "H201")) << complete.describe();
    EXPECT_FALSE(has(complete, "H202")) << complete.describe();
}

// A libc.so.6 that defines only the versions GLIBC_2.2.5 .. GLIBC_2.17 (as CentOS 7's 2.17).
std::string build_old_glibc(const std::string& dir) {
    test::write_file(dir + "/old.map", "GLIBC_2.2.5 { global: berth_v225; local: *; };\n"
                                       "GLIBC_2.3 { global: berth_v23; } GLIBC_2.2.5;\n"
                                       "GLIBC_2.4 { global: berth_v24; } GLIBC_2.3;\n"
                                       "GLIBC_2.14 { global: berth_v214; } GLIBC_2.4;\n"
                                       "GLIBC_2.17 { global: berth_v217; } GLIBC_2.14;\n");
    test::write_file(dir + "/old.c", "int berth_v225(void) { return 225; }\n"
                                     "int berth_v23(void) { return 23; }\n"
                                     "int berth_v24(void) { return 24; }\n"
                                     "int berth_v214(void) { return 214; }\n"
                                     "int berth_v217(void) { return 217; }\n");
    std::string out = dir + "/libc.so.6";
    auto r = test::run({"gcc", "-shared", "-fPIC", "-nostdlib", "-Wl,-soname,libc.so.6",
                        "-Wl,--version-script=" + dir + "/old.map", "-o", out, dir + "/old.c"});
    EXPECT_EQ(r.status, 0) << "gcc: " << r.err;
    return out;
}

TEST(CheckSituations, OldGlibcRootFiresB105) {
    std::string binary = test::fixture("go/cgo-glibc"); // needs GLIBC_2.34 (built on Debian 12)
    test::TempDir work, old_root, new_root;
    std::string old_libc = build_old_glibc(work.path);
    copy_into(old_libc, old_root.path + "/lib/x86_64-linux-gnu/libc.so.6");
    copy_into("/lib64/ld-linux-x86-64.so.2", old_root.path + "/lib64/ld-linux-x86-64.so.2");
    auto old = check(binary, {"--root", old_root.path});
    EXPECT_TRUE(has(old, "B105")) << old.describe();
    EXPECT_NE(evidence(old, "B105").find("GLIBC_2.34"), std::string::npos) << evidence(old, "B105");
    EXPECT_NE(evidence(old, "B105").find("2.17"), std::string::npos) << evidence(old, "B105");
    EXPECT_FALSE(has(old, "B103")) << old.describe(); // the loader is there
    EXPECT_FALSE(has(old, "B104")) << old.describe(); // and libc.so.6 too

    // Near miss: the same tree with this machine's glibc (2.36 on Debian 12).
    copy_into("/lib/x86_64-linux-gnu/libc.so.6", new_root.path + "/lib/x86_64-linux-gnu/libc.so.6");
    copy_into("/lib64/ld-linux-x86-64.so.2", new_root.path + "/lib64/ld-linux-x86-64.so.2");
    auto current = check(binary, {"--root", new_root.path});
    EXPECT_FALSE(has(current, "B105")) << current.describe();
    // A static binary needs no glibc at all.
    auto static_binary = check(test::fixture("go/cgo-off"), {"--root", old_root.path});
    EXPECT_FALSE(has(static_binary, "B105")) << static_binary.describe();
}

TEST(CheckSituations, MuslRootFiresB103ForGlibcBinary) {
    test::TempDir root;
    copy_into("/lib/ld-musl-x86_64.so.1", root.path + "/lib/ld-musl-x86_64.so.1");
    fs::create_directories(root.path + "/etc");
    auto glibc_binary = check(test::fixture("go/cgo-glibc"), {"--root", root.path});
    EXPECT_TRUE(has(glibc_binary, "B103")) << glibc_binary.describe();
    EXPECT_NE(evidence(glibc_binary, "B103").find("/lib64/ld-linux-x86-64.so.2"), std::string::npos)
        << evidence(glibc_binary, "B103");
    EXPECT_NE(evidence(glibc_binary, "B103").find("musl host"), std::string::npos)
        << evidence(glibc_binary, "B103");
    // Near miss: a musl binary finds its loader in the same tree.
    auto musl_binary = check(test::fixture("go/cgo-musl"), {"--root", root.path});
    EXPECT_FALSE(has(musl_binary, "B103")) << musl_binary.describe();
}

// --- every Go fixture: the binary codes its manifest facts deserve ------------------------------

using Facts = std::map<std::string, std::string>;

std::vector<std::pair<std::string, Facts>> read_manifest() {
    std::vector<std::pair<std::string, Facts>> out;
    std::istringstream in(test::read_file(test::fixture("go/manifest.txt")));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::string name, field;
        std::getline(fields, name, '\t');
        Facts facts;
        while (std::getline(fields, field, '\t')) {
            auto eq = field.find('=');
            facts[field.substr(0, eq)] = eq == std::string::npos ? "" : field.substr(eq + 1);
        }
        out.emplace_back(name, facts);
    }
    return out;
}

int host_x86_64_level() {
    auto r = test::run(berth_argv({"facts", "--json"}));
    EXPECT_EQ(r.status, 0) << r.err;
    try {
        return json::parse(r.out).at("cpu").at("x86_64_level").get<int>();
    } catch (const json::exception& e) {
        ADD_FAILURE() << "berth facts --json: " << e.what();
        return 0;
    }
}

// What each fixture deserves on an x86_64 host of the given GOAMD64 level. The fixtures' programs
// (hello, cgo, net) never call signal.Notify, use no pprof, TLS, time zones or sd_notify.
bool has_word(const std::string& text, const std::string& word) {
    std::istringstream in(text);
    std::string w;
    while (in >> w)
        if (w == word) return true;
    return false;
}

std::set<std::string> deserved(const Facts& f, int host_level, bool i386_runs) {
    auto get = [&](const char* key) {
        auto it = f.find(key);
        return it == f.end() ? std::string() : it->second;
    };
    const std::string goarch = get("GOARCH").empty() ? "amd64" : get("GOARCH");
    const std::string ldflags = get("-ldflags");
    // x86_64 runs i386 too, where its kernel has IA32 emulation on.
    const bool foreign = goarch != "amd64" && (goarch != "386" || !i386_runs);
    // Go links dynamically when cgo is used (the race runtime needs it) and no -static is asked.
    const bool dynamic =
        get("link") == "dynamic" || (get("-race") == "true" && get("link") != "static");
    std::set<std::string> codes;
    if (foreign) codes.insert("B101");
    if (get("GOAMD64") == "v3" && host_level < 3) codes.insert("B102");
    if (foreign && dynamic) {
        codes.insert("B103"); // no loader of that architecture on this host
        codes.insert("B104"); // nor its libc.so.6
    }
    if (get("CGO_ENABLED") == "1" && dynamic) codes.insert("B106");
    if (!has_word(ldflags, "-s")) codes.insert("B108"); // -extldflags -static is no -s
    if (get("vcs").empty() && !has_word(ldflags, "-X")) codes.insert("B109");
    if (get("vcs.modified") == "true") codes.insert("B110");
    if (get("-race") == "true") codes.insert("B111");
    codes.insert("B112");
    return codes;
}

TEST(CheckFixtures, EachGoFixtureGetsTheBinaryFindingsItDeserves) {
    auto arch = test::run({"uname", "-m"});
    ASSERT_EQ(arch.out, "x86_64\n") << "the expectations assume an x86_64 host";
    const int level = host_x86_64_level();
    // Whether this kernel runs i386 programs: running the GOARCH=386 fixture says.
    const bool i386_runs = test::run({test::fixture("go/386")}).status == 0;
    auto manifest = read_manifest();
    ASSERT_GE(manifest.size(), 20u);
    // The checks run in parallel: each is a separate process.
    std::vector<std::future<CheckRun>> runs;
    for (const auto& [name, facts] : manifest)
        runs.push_back(std::async(std::launch::async,
                                  [path = test::fixture("go/" + name)] { return check(path); }));
    for (std::size_t i = 0; i < manifest.size(); ++i) {
        const auto& [name, facts] = manifest[i];
        SCOPED_TRACE(name);
        CheckRun r = runs[i].get();
        std::set<std::string> binary_codes;
        for (const auto& c : r.codes)
            if (c.starts_with("B")) binary_codes.insert(c);
        auto want = deserved(facts, level, i386_runs);
        std::string got_text, want_text;
        for (const auto& c : binary_codes) got_text += c + " ";
        for (const auto& c : want) want_text += c + " ";
        EXPECT_EQ(got_text, want_text) << r.describe();
        EXPECT_TRUE(r.status == 0 || r.status == 1) << r.describe();
    }
}

// --- output formats and exit statuses -----------------------------------------------------------

TEST(CheckOutput, SarifIsStructurallyValid210) {
    auto r = test::run(berth_argv({"check", "--format", "sarif", test::fixture("go/arm64-cgo")}));
    EXPECT_EQ(r.status, 1) << r.err; // B101 is an error
    json doc;
    ASSERT_NO_THROW(doc = json::parse(r.out)) << r.out;
    EXPECT_EQ(doc.value("version", ""), "2.1.0");
    EXPECT_NE(doc.value("$schema", "").find("sarif"), std::string::npos);
    ASSERT_TRUE(doc.contains("runs") && doc["runs"].is_array() && !doc["runs"].empty());
    const std::regex code_pattern("[BHUD][0-9]{3}");
    std::set<std::string> seen;
    for (const auto& run : doc["runs"]) {
        const auto& driver = run.at("tool").at("driver");
        EXPECT_EQ(driver.at("name"), "berth");
        std::vector<std::string> rule_ids;
        if (driver.contains("rules"))
            for (const auto& rule : driver["rules"])
                rule_ids.push_back(rule.at("id").get<std::string>());
        ASSERT_TRUE(run.contains("results") && run["results"].is_array());
        for (const auto& result : run["results"]) {
            const std::string id = result.at("ruleId").get<std::string>();
            seen.insert(id);
            EXPECT_TRUE(std::regex_match(id, code_pattern)) << id;
            EXPECT_FALSE(result.at("message").at("text").get<std::string>().empty());
            const std::string level = result.at("level").get<std::string>();
            EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << level;
            ASSERT_TRUE(result.at("locations").is_array());
            ASSERT_FALSE(result["locations"].empty());
            for (const auto& loc : result["locations"])
                EXPECT_FALSE(loc.at("physicalLocation")
                                 .at("artifactLocation")
                                 .at("uri")
                                 .get<std::string>()
                                 .empty());
            if (result.contains("ruleIndex")) {
                std::size_t index = result["ruleIndex"].get<std::size_t>();
                ASSERT_LT(index, rule_ids.size());
                EXPECT_EQ(rule_ids[index], id);
            }
            if (id == "B101") {
                EXPECT_EQ(level, "error");
            }
            if (id == "B108") {
                EXPECT_EQ(level, "note");
            }
            if (id == "B112") {
                EXPECT_EQ(level, "warning");
            }
        }
    }
    EXPECT_TRUE(seen.count("B101") && seen.count("B103") && seen.count("B108")) << r.out;
}

// Host facts from the healthy fixture: the exit status then depends on the binary alone.
std::string healthy_host_facts_file(const test::TempDir& dir) {
    json healthy =
        json::parse(test::read_file(test::source_dir() + "/tests/fixtures/facts/healthy.json"));
    json host = healthy.at("host");
    host["libraries"] = healthy.at("libraries");
    std::string path = dir.path + "/host.json";
    test::write_file(path, host.dump(2));
    return path;
}

TEST(CheckOutput, FailOnWarningChangesTheExitStatus) {
    test::TempDir dir;
    std::string facts = healthy_host_facts_file(dir);
    std::string binary = test::fixture("go/git-clean"); // B108 info, B112 warning, no error
    auto by_default = check(binary, {"--facts", facts});
    EXPECT_EQ(by_default.codes, (std::set<std::string>{"B108", "B112"})) << by_default.describe();
    EXPECT_EQ(by_default.status, 0) << by_default.describe();
    auto on_warning = check(binary, {"--facts", facts, "--fail-on", "warning"});
    EXPECT_EQ(on_warning.status, 1) << on_warning.describe();
    auto on_info = check(binary, {"--facts", facts, "--fail-on", "info"});
    EXPECT_EQ(on_info.status, 1) << on_info.describe();
    auto on_error = check(binary, {"--facts", facts, "--fail-on", "error"});
    EXPECT_EQ(on_error.status, 0) << on_error.describe();
}

TEST(CheckOutput, NoEscapeCodesWithoutTtyOrWithNoColor) {
    const std::string binary = test::fixture("go/arm64");
    // Not a TTY (stdout is a file), NO_COLOR unset: plain text.
    auto plain = test::run({"env", "-u", "NO_COLOR", test::berth_exe(), "check", binary});
    EXPECT_NE(plain.out.find("B101"), std::string::npos) << plain.out;
    EXPECT_EQ(plain.out.find('\033'), std::string::npos);
    // A TTY (script(1) gives one) of a terminal that has colours: colours, unless NO_COLOR is
    // set or TERM is dumb. TERM is set here: the suite may run with TERM=dumb or none (CI).
    const std::string command = test::berth_exe() + " check " + binary;
    auto tty = test::run(
        {"env", "-u", "NO_COLOR", "TERM=xterm-256color", "script", "-qec", command, "/dev/null"});
    EXPECT_NE(tty.out.find("\033["), std::string::npos) << "no colour on a TTY: " << tty.out;
    auto tty_dumb =
        test::run({"env", "-u", "NO_COLOR", "TERM=dumb", "script", "-qec", command, "/dev/null"});
    EXPECT_NE(tty_dumb.out.find("B101"), std::string::npos) << tty_dumb.out;
    EXPECT_EQ(tty_dumb.out.find('\033'), std::string::npos) << tty_dumb.out;
    auto tty_no_color = test::run(
        {"env", "NO_COLOR=1", "TERM=xterm-256color", "script", "-qec", command, "/dev/null"});
    EXPECT_NE(tty_no_color.out.find("B101"), std::string::npos) << tty_no_color.out;
    EXPECT_EQ(tty_no_color.out.find('\033'), std::string::npos) << tty_no_color.out;
}

TEST(CheckOutput, MissingBinaryOrBadFactsFileExitsTwo) {
    auto missing = test::run(berth_argv({"check", "/nonexistent/berth-binary"}));
    EXPECT_EQ(missing.status, 2) << missing.err;
    EXPECT_NE(missing.err.find("/nonexistent/berth-binary"), std::string::npos) << missing.err;

    test::TempDir dir;
    const std::string binary = test::fixture("go/cgo-off");
    test::write_file(dir.path + "/garbage.json", "{ not json");
    auto garbage = test::run(berth_argv({"check", binary, "--facts", dir.path + "/garbage.json"}));
    EXPECT_EQ(garbage.status, 2) << garbage.err;
    EXPECT_NE(garbage.err.find("garbage.json"), std::string::npos) << garbage.err;

    test::write_file(dir.path + "/partial.json", R"({"schema": "berth.host-facts/3"})");
    auto partial = test::run(berth_argv({"check", binary, "--facts", dir.path + "/partial.json"}));
    EXPECT_EQ(partial.status, 2) << partial.err;
    EXPECT_FALSE(partial.err.empty());

    auto absent = test::run(berth_argv({"check", binary, "--facts", dir.path + "/absent.json"}));
    EXPECT_EQ(absent.status, 2) << absent.err;
}

} // namespace
} // namespace berth
