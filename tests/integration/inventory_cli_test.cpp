// `berth hosts` from the command line: the table and the JSON document, berth.yaml's hosts, and
// exit status 2 with the place for a bad file or a pattern that selects nothing, never a crash.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using berth::test::run;

TEST(InventoryCli, TableAndJson) {
    berth::test::TempDir dir;
    std::string inv = dir.path + "/hosts";
    berth::test::write_file(inv, "[web]\nweb[1:2] ansible_user=deploy\n[db]\ndb1:2222\n");
    auto table = run({berth::test::berth_exe(), "hosts", "-i", inv});
    EXPECT_EQ(table.status, 0) << table.err;
    EXPECT_EQ(table.out, "NAME  ADDRESS  USER    PORT  GROUPS\n"
                         "web1  web1     deploy  -     web\n"
                         "web2  web2     deploy  -     web\n"
                         "db1   db1      -       2222  db\n"
                         "3 of 3 hosts\n");
    auto json =
        run({berth::test::berth_exe(), "hosts", "--inventory", inv, "--limit", "db", "--json"});
    ASSERT_EQ(json.status, 0) << json.err;
    auto doc = nlohmann::json::parse(json.out);
    EXPECT_EQ(doc["schema"], "berth.hosts/1");
    EXPECT_EQ(doc["total"], 3);
    ASSERT_EQ(doc["hosts"].size(), 1u);
    EXPECT_EQ(doc["hosts"][0]["port"], 2222);
    EXPECT_TRUE(doc["hosts"][0]["user"].is_null());
    EXPECT_EQ(doc["hosts"][0]["groups"], (nlohmann::json{"all", "db"}));
}

TEST(InventoryCli, BerthYamlHosts) {
    berth::test::TempDir dir;
    std::string conf = dir.path + "/berth.yaml";
    berth::test::write_file(conf, "hosts:\n  canary: [root@web1]\n  web: [root@web1, web2:2201]\n");
    auto r = run({berth::test::berth_exe(), "hosts", "--config", conf, "--limit", "web:!canary"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "NAME       ADDRESS  USER  PORT  GROUPS\nweb2:2201  web2     -     2201  web\n"
                     "1 of 2 hosts\n");
    std::string empty = dir.path + "/empty.yaml";
    berth::test::write_file(empty, "name: shop\n");
    auto none = run({berth::test::berth_exe(), "hosts", "--config", empty});
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("no hosts"), std::string::npos) << none.err;
}

TEST(InventoryCli, BadInputIsExitTwoWithThePlace) {
    berth::test::TempDir dir;
    struct Bad {
        std::string name, text, expect;
    };
    std::vector<Bad> cases = {
        {"a.ini", "[web]\nweb[01:100]\n", "a.ini:2: host range must specify equal-length"},
        {"b.yml", "all:\n  hostz:\n", "b.yml:2:3: group 'all' has an unknown key 'hostz'"},
        {"c.ini", "#!/usr/bin/env python3\nprint('{}')\n", "c.ini:1: a dynamic inventory script"},
        {"d.yml", "all: [\n", "d.yml:2:1: invalid YAML"},
        {"e.ini", std::string("[g]\nh\0x\n", 8), "e.ini:2: the line holds a NUL byte"},
    };
    for (const auto& c : cases) {
        std::string path = dir.path + "/" + c.name;
        berth::test::write_file(path, c.text);
        auto r = run({berth::test::berth_exe(), "hosts", "-i", path});
        EXPECT_EQ(r.status, 2) << c.name;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
    }
    std::string ok = dir.path + "/ok.ini";
    berth::test::write_file(ok, "[web]\nweb1\n");
    auto nomatch = run({berth::test::berth_exe(), "hosts", "-i", ok, "--limit", "web:!webb"});
    EXPECT_EQ(nomatch.status, 2);
    EXPECT_EQ(nomatch.err, "berth: --limit: pattern 'webb' matches no host and no group\n");
    // Not regular files: refused at once, never read or waited on.
    std::string fifo = dir.path + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string& path : {dir.path, fifo, dir.path + "/missing.ini"}) {
        auto r = run({berth::test::berth_exe(), "hosts", "-i", path});
        EXPECT_EQ(r.status, 2) << path;
        EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    }
}
