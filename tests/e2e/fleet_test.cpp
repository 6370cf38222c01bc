// berth deploy to a fleet of four real hosts (systemd, sshd, booted by the test bed): batches,
// a canary that fails, a preflight that finds a noexec install dir, a host cut off mid-rollout
// with --rollback-all, convergence, and drift in `berth status`. The output is JSON lines (a
// pipe), read back here.
#include "e2e/deploy_support.hpp"
#include "e2e/testbed.hpp"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

namespace berth::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::vector<std::string> kHosts = {"flt1", "flt2", "flt3", "flt4"};

std::string trim_nl(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// releases/ID each host's `current` points to.
std::map<std::string, std::string> currents(const Testbed& tb) {
    std::map<std::string, std::string> out;
    for (const auto& h : kHosts) out[h] = trim_nl(ssh(tb, h, "readlink /opt/hello/current").out);
    return out;
}

json rollout_result(const std::string& out) {
    json last;
    for (auto& j : json_lines(out))
        if (j.value("type", "") == "rollout-result") last = j;
    return last;
}

// host name (flt1..) -> its row in the rollout result.
std::map<std::string, json> rows(const Testbed& tb, const json& result) {
    std::map<std::string, json> out;
    for (const auto& h : kHosts)
        for (const auto& row : result["hosts"])
            if (row["host"] == "root@" + ip(tb, h)) out[h] = row;
    return out;
}

TEST(Fleet, RollingDeploysOnFourHosts) {
    Testbed tb(kHosts);
    ASSERT_TRUE(tb.up) << tb.error;
    DeployEnv d(tb, "flt1");
    d.more_hosts = {"flt2", "flt3", "flt4"};

    {
        SCOPED_TRACE("batches of 2, everywhere");
        auto r = d.deploy("v1", {"--batch", "2"});
        ASSERT_EQ(r.status, 0) << r.out << r.err;
        json res = rollout_result(r.out);
        EXPECT_TRUE(res["completed"]);
        EXPECT_EQ(res["batches"], 2);
        for (const auto& h : kHosts) EXPECT_EQ(http_get(ip(tb, h), "/version"), "v1\n") << h;
        // The second batch started after the first ended.
        std::vector<std::string> order;
        for (auto& j : json_lines(r.out))
            if (j.value("type", "") == "rollout" &&
                (j["event"] == "host-start" || j["event"] == "host-end"))
                order.push_back(j["event"].get<std::string>() + " " + j["host"].get<std::string>());
        ASSERT_EQ(order.size(), 8u);
        int ends = 0;
        for (std::size_t i = 0; i < order.size(); ++i) {
            if (order[i].rfind("host-end", 0) == 0) ++ends;
            if (order[i].find(ip(tb, "flt3")) != std::string::npos &&
                order[i].rfind("host-start", 0) == 0) {
                EXPECT_EQ(ends, 2) << "flt3 started before the first batch ended";
            }
        }
    }
    const auto v1 = currents(tb);

    {
        SCOPED_TRACE("the same release again: converged, nothing changes");
        auto r = d.deploy("v1", {"--batch", "2"});
        EXPECT_EQ(r.status, 0) << r.out << r.err;
        for (const auto& [h, row] : rows(tb, rollout_result(r.out)))
            EXPECT_EQ(row["outcome"], "unchanged") << h;
        EXPECT_EQ(currents(tb), v1);
    }

    {
        SCOPED_TRACE("a release unhealthy everywhere stops after the canary");
        auto r = d.deploy("unhealthy", {"--batch", "1", "--batch", "50%"});
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        json res = rollout_result(r.out);
        EXPECT_FALSE(res["completed"]);
        auto by = rows(tb, res);
        EXPECT_EQ(by["flt1"]["end"], "failed");
        EXPECT_EQ(by["flt1"]["outcome"], "rolled-back");
        for (const auto& h : {"flt2", "flt3", "flt4"}) EXPECT_EQ(by[h]["end"], "skipped") << h;
        EXPECT_EQ(currents(tb), v1);
        for (const auto& h : kHosts) EXPECT_EQ(http_get(ip(tb, h), "/version"), "v1\n") << h;
    }

    {
        SCOPED_TRACE("--preflight all: a noexec install dir on one host, nothing changes");
        ASSERT_EQ(ssh(tb, "flt3",
                      "mount --bind /opt/hello /opt/hello && "
                      "mount -o remount,bind,noexec /opt/hello")
                      .status,
                  0);
        auto r = d.deploy("v2", {"--preflight", "all", "--batch", "2"});
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        json res = rollout_result(r.out);
        EXPECT_NE(res["stop_reason"].get<std::string>().find("preflight failed on 1 of 4"),
                  std::string::npos)
            << res.dump(2);
        auto by = rows(tb, res);
        EXPECT_EQ(by["flt3"]["end"], "failed");
        bool h204 = false;
        for (const auto& f : by["flt3"]["findings"]) h204 = h204 || f["code"] == "H204";
        EXPECT_TRUE(h204) << by["flt3"].dump(2);
        EXPECT_EQ(currents(tb), v1);
        ASSERT_EQ(ssh(tb, "flt3", "umount /opt/hello").status, 0);
    }

    {
        SCOPED_TRACE("a host cut off mid-rollout, --rollback-all");
        // flt4 (second batch) loses its link once flt1 (first batch) runs the new release.
        std::thread cutter([&] {
            for (int i = 0; i < 300 && currents(tb)["flt1"] == v1.at("flt1"); ++i)
                std::this_thread::sleep_for(50ms);
            test::sh("ip link set vb-flt4 down");
        });
        auto r = d.deploy("v2", {"--batch", "2", "--rollback-all"});
        cutter.join();
        test::sh("ip link set vb-flt4 up");
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        json res = rollout_result(r.out);
        EXPECT_FALSE(res["completed"]);
        auto by = rows(tb, res);
        EXPECT_EQ(by["flt4"]["end"], "failed") << by["flt4"].dump(2);
        EXPECT_FALSE(by["flt4"]["reason"].get<std::string>().empty());
        for (const auto& h : {"flt1", "flt2", "flt3"}) {
            EXPECT_EQ(by[h]["end"], "rolled-back") << by[h].dump(2);
            EXPECT_EQ(by[h]["rollback"]["outcome"], "deployed") << by[h].dump(2);
        }
        // Every host runs what it ran before: none is left in between.
        for (int i = 0; i < 50 && ssh(tb, "flt4", "true").status != 0; ++i)
            std::this_thread::sleep_for(200ms);
        EXPECT_EQ(currents(tb), v1);
        for (const auto& h : kHosts) EXPECT_EQ(http_get(ip(tb, h), "/version"), "v1\n") << h;
    }

    {
        SCOPED_TRACE("the next rollout converges");
        auto r = d.deploy("v2", {"--batch", "2"});
        EXPECT_EQ(r.status, 0) << r.out << r.err;
        for (const auto& h : kHosts) EXPECT_EQ(http_get(ip(tb, h), "/version"), "v2\n") << h;
    }

    {
        SCOPED_TRACE("status and releases over the fleet, drift shown");
        auto same = d.berth({"status", "--config", d.config_path()});
        EXPECT_EQ(same.status, 0) << same.out << same.err;
        EXPECT_EQ(same.out.find("drift"), std::string::npos) << same.out;
        // One host, picked from an Ansible inventory with --limit.
        DeployEnv one(tb, "flt2");
        one.inventory = one.dir.path + "/inventory.ini";
        std::string ini = "[canary]\nflt1 ansible_host=" + ip(tb, "flt1") + "\n[web]\n";
        for (const auto& h : {"flt2", "flt3", "flt4"})
            ini += std::string(h) + " ansible_host=" + ip(tb, h) + "\n";
        ini += "[all:vars]\nansible_user=root\n";
        test::write_file(one.inventory, ini);
        one.limit = "web:!flt3:!flt4";
        auto picked = one.deploy("v3");
        ASSERT_EQ(picked.status, 0) << picked.out << picked.err;
        EXPECT_EQ(http_get(ip(tb, "flt2"), "/version"), "v3\n");
        EXPECT_EQ(http_get(ip(tb, "flt3"), "/version"), "v2\n");
        auto drift = d.berth({"status", "--config", d.config_path()});
        EXPECT_NE(drift.out.find("drift: 2 releases across 4 hosts"), std::string::npos)
            << drift.out;
        auto releases = d.berth({"releases", "--config", d.config_path()});
        EXPECT_NE(releases.out.find("drift: 2 releases across 4 hosts"), std::string::npos)
            << releases.out;
        auto as_json = d.berth({"status", "--config", d.config_path(), "--json"});
        EXPECT_EQ(json::parse(as_json.out)["drift"], true) << as_json.out;
        // The inventory's names, the pattern's choice.
        one.limit = "all:!canary";
        auto web = one.berth({"status", "--config", one.config_path(), "--json"});
        ASSERT_EQ(web.status, 0) << web.out << web.err;
        std::vector<std::string> names;
        const json doc = json::parse(web.out);
        for (const auto& h : doc["hosts"]) names.push_back(h["host"]);
        EXPECT_EQ(names, (std::vector<std::string>{"flt2", "flt3", "flt4"})) << web.out << web.err;
    }
}

} // namespace
} // namespace berth::e2e
