// berth init and the parts of berth deploy that need no test host: the starter berth.yaml, input
// errors before any connection, and the local transport (this machine, whose PID 1 is not systemd:
// the gate stops the deploy, and nothing is changed).
#include "test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(Init, WritesAStarterFromTheBinarysFacts) {
    TempDir dir;
    const std::string out = dir.path + "/berth.yaml";
    auto r = run({berth_exe(), "init", fixture("go-features/graceful-amd64"), "-o", out});
    ASSERT_EQ(r.status, 0) << r.err;
    std::string text = read_file(out);
    EXPECT_NE(text.find("name: graceful-amd64\n"), std::string::npos) << text;
    // It serves HTTP and handles SIGTERM: a health check and a shutdown window.
    EXPECT_NE(text.find("  http: /healthz"), std::string::npos) << text;
    EXPECT_NE(text.find("\nshutdown_timeout: 25\n"), std::string::npos) << text;
    // What init writes, the other commands read.
    auto check = run({berth_exe(), "unit", "generate", "--config", out});
    EXPECT_EQ(check.status, 0) << check.err;
    // An existing file is kept unless --force.
    auto again = run({berth_exe(), "init", fixture("go-features/graceful-amd64"), "-o", out});
    EXPECT_EQ(again.status, 2);
    EXPECT_NE(again.err.find("exists"), std::string::npos);
    EXPECT_EQ(
        run({berth_exe(), "init", fixture("go-features/graceful-amd64"), "-o", out, "--force"})
            .status,
        0);
    // A program that neither serves HTTP nor handles SIGTERM gets no health check, and a word.
    auto plain = run({berth_exe(), "init", fixture("go/cgo-off"), "-o", "-"});
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_EQ(plain.out.find("\nhealth:"), std::string::npos) << plain.out;
    EXPECT_NE(plain.out.find("B112"), std::string::npos) << plain.out;
}

TEST(DeployCli, InputErrorsBeforeAnyConnection) {
    TempDir dir;
    auto none = run({berth_exe(), "deploy", "--config", dir.path + "/missing.yaml"});
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("missing.yaml"), std::string::npos) << none.err;
    write_file(dir.path + "/berth.yaml", "name: shop\n");
    auto no_binary = run({berth_exe(), "deploy", "--config", dir.path + "/berth.yaml"});
    EXPECT_EQ(no_binary.status, 2);
    EXPECT_NE(no_binary.err.find("no binary to deploy"), std::string::npos) << no_binary.err;
    auto bad_host =
        run({berth_exe(), "deploy", fixture("go/cgo-off"), "--config", dir.path + "/berth.yaml",
             "--host", "-oProxyCommand=touch " + dir.path + "/pwned"});
    EXPECT_EQ(bad_host.status, 2) << bad_host.out;
    EXPECT_NE(bad_host.err.find("would read as an option"), std::string::npos) << bad_host.err;
    EXPECT_FALSE(fs::exists(dir.path + "/pwned"));
    auto bad_to =
        run({berth_exe(), "rollback", "--config", dir.path + "/berth.yaml", "--to", "../x"});
    EXPECT_EQ(bad_to.status, 2);
}

// No --host: the same steps on this machine through the local transport. This machine is no
// systemd host, so the gate stops before anything changes.
// Where to deploy: --host, or an inventory with --limit; never both, and a pattern needs hosts.
// Every error comes before any connection (the inventory's hosts do not exist).
TEST(DeployCli, HostsFromAnInventoryOrHostNeverBoth) {
    TempDir dir;
    write_file(dir.path + "/berth.yaml", "name: shop\n");
    write_file(dir.path + "/inv.ini", "[web]\nweb1 ansible_host=192.0.2.1\n");
    auto both = run({berth_exe(), "status", "--config", dir.path + "/berth.yaml", "--host", "web9",
                     "--inventory", dir.path + "/inv.ini"});
    EXPECT_EQ(both.status, 2) << both.out;
    EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
    auto nothing =
        run({berth_exe(), "status", "--config", dir.path + "/berth.yaml", "--limit", "web"});
    EXPECT_EQ(nothing.status, 2);
    EXPECT_NE(nothing.err.find("no hosts to select from"), std::string::npos) << nothing.err;
    auto no_match = run({berth_exe(), "releases", "--config", dir.path + "/berth.yaml",
                         "--inventory", dir.path + "/inv.ini", "--limit", "db"});
    EXPECT_EQ(no_match.status, 2);
    EXPECT_NE(no_match.err.find("--limit: "), std::string::npos) << no_match.err;
    for (const char* bad : {"0", "150%", "many"}) {
        auto bad_batch =
            run({berth_exe(), "deploy", fixture("go/cgo-off"), "--config", dir.path + "/berth.yaml",
                 "--inventory", dir.path + "/inv.ini", "--batch", bad});
        EXPECT_EQ(bad_batch.status, 2) << bad;
        EXPECT_NE(bad_batch.err.find(std::string("--batch ") + bad), std::string::npos)
            << bad_batch.err;
    }
    auto bad_inventory = run({berth_exe(), "deploy", fixture("go/cgo-off"), "--config",
                              dir.path + "/berth.yaml", "--inventory", dir.path + "/none.ini"});
    EXPECT_EQ(bad_inventory.status, 2);
    EXPECT_NE(bad_inventory.err.find("none.ini"), std::string::npos) << bad_inventory.err;
}

TEST(DeployCli, ThisMachineIsJudgedByTheSameGate) {
    TempDir dir;
    write_file(dir.path + "/berth.yaml", "name: berth-local-test\ninstall_dir: " + dir.path +
                                             "/opt\nconfig_dir: " + dir.path +
                                             "/etc\nlog_dir: " + dir.path + "/log\n");
    auto r = run({berth_exe(), "deploy", fixture("go/cgo-off"), "--config",
                  dir.path + "/berth.yaml", "--json"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    json result;
    std::istringstream lines(r.out);
    std::vector<std::string> steps;
    for (std::string line; std::getline(lines, line);) {
        json j = json::parse(line);
        if (j["type"] == "result") result = j;
        if (j["type"] == "event" && j["phase"] == "done") steps.push_back(j["step"]);
    }
    EXPECT_EQ(steps, (std::vector<std::string>{"connect", "upload"})) << r.out; // the gate failed
    EXPECT_EQ(result["outcome"], "stopped") << r.out;
    bool h217 = false;
    for (const auto& f : result["findings"]) h217 = h217 || f["code"] == "H217";
    EXPECT_TRUE(h217) << r.out;
    EXPECT_FALSE(fs::exists(dir.path + "/opt")); // nothing changed
}

} // namespace
} // namespace berth::test
