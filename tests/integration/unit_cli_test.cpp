// `berth unit` from the command line: bad input gives a clear error with file and line, never a
// crash; generate reads berth.yaml.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using berth::test::run;

namespace {

struct Bad {
    std::string name;
    std::string bytes;
    std::string expect; // in the output: file:line and what
};

} // namespace

TEST(UnitCli, BadInputIsAFindingWithFileAndLine) {
    berth::test::TempDir dir;
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
    std::vector<Bad> cases = {
        {"garbage.service", garbage, "garbage.service:2: NUL byte"},
        {"long.service", "[Unit]\nDescription=" + std::string(2 * 1024 * 1024, 'x') + "\n",
         "long.service:2: line is"},
        {"cont.service", "[Service]\nExecStart=/bin/true \\\n", "cont.service:2: line ends with"},
        {"utf8.service", "[Unit]\n\nDescription=caf\xe9\n", "utf8.service:3: invalid UTF-8"},
    };
    for (const auto& c : cases) {
        std::string path = dir.path + "/" + c.name;
        berth::test::write_file(path, c.bytes);
        auto r = run({berth::test::berth_exe(), "unit", "lint", path});
        EXPECT_EQ(r.status, 1) << c.name << r.err;
        EXPECT_NE(r.out.find("U301"), std::string::npos) << c.name << r.out;
        EXPECT_NE(r.out.find(c.expect), std::string::npos) << c.name << r.out.substr(0, 2000);
    }
    // Not a finding: a file that cannot be read is an I/O error (cli_input_files_test.cpp).
    auto missing = run({berth::test::berth_exe(), "unit", "lint", dir.path + "/nope.service"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("nope.service: cannot open"), std::string::npos) << missing.err;
}

TEST(UnitCli, SarifAndJsonOutputs) {
    berth::test::TempDir dir;
    std::string path = dir.path + "/app.service";
    berth::test::write_file(path, "[Service]\nExecStart=/opt/app/bin/app\nRestart=always\n");
    auto j = run({berth::test::berth_exe(), "unit", "lint", "--format", "json", path});
    EXPECT_EQ(j.status, 0) << j.err;
    auto doc = nlohmann::json::parse(j.out);
    EXPECT_EQ(doc["command"], "unit lint");
    EXPECT_EQ(doc["results"][0]["exposure"]["score"], "9.6");
    auto s = run({berth::test::berth_exe(), "unit", "lint", "--format", "sarif", path});
    EXPECT_EQ(s.status, 0);
    EXPECT_NE(s.out.find("U308"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(s.out)["version"], "2.1.0");
}

TEST(UnitCli, GenerateFromBerthYaml) {
    berth::test::TempDir dir;
    berth::test::write_file(dir.path + "/berth.yaml",
                            "name: shop\nuser: shop\nport: 8443\nargs: ['--config', "
                            "'/etc/shop/shop.toml']\nenvironment_file: /etc/shop/env\n"
                            "shutdown_timeout: 20\n");
    auto r =
        run({berth::test::berth_exe(), "unit", "generate", "--config", dir.path + "/berth.yaml"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("ExecStart=/opt/shop/current/bin/shop --config /etc/shop/shop.toml\n"),
              std::string::npos);
    EXPECT_NE(r.out.find("User=shop\n"), std::string::npos);
    EXPECT_NE(r.out.find("TimeoutStopSec=25s\n"), std::string::npos);
    EXPECT_NE(r.out.find("EnvironmentFile=/etc/shop/env\n"), std::string::npos);

    berth::test::write_file(dir.path + "/bad.yaml", "name: shop\nport: [1]\n");
    auto bad =
        run({berth::test::berth_exe(), "unit", "generate", "--config", dir.path + "/bad.yaml"});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("bad.yaml:2:7: 'port' must be a single value"), std::string::npos)
        << bad.err;
}
