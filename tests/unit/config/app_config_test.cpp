// berth.yaml: one model for every command. Keys, types, FILE:LINE:COLUMN errors, the closest
// known key for a typo, duplicates, names that would leave their directories, and the docs
// table kept equal to the key list.
#include "config/app_config.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace berth {
namespace {

std::string error_of(const std::string& yaml) {
    try {
        config::parse_app_config(yaml, "berth.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(AppConfig, ReadsEveryKindOfKey) {
    config::AppConfig c =
        config::parse_app_config("name: shop\nuser: shop\nargs: [--a, b]\nlisten: "
                                 "127.0.0.1:8080\nshutdown_timeout: 10\nsystemd_version: 247\n"
                                 "install_dir: /srv/shop/\nnofile: 200000\nmin_free_mb: 10\n",
                                 "berth.yaml");
    EXPECT_EQ(c.source, "berth.yaml");
    EXPECT_EQ(c.name, "shop");
    EXPECT_EQ(c.user, "shop");
    EXPECT_EQ(c.args, (std::vector<std::string>{"--a", "b"}));
    EXPECT_EQ(c.listen_address, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8080);
    EXPECT_EQ(c.shutdown_timeout, 10);
    EXPECT_EQ(c.systemd_version, 247);
    EXPECT_EQ(c.install_dir, "/srv/shop"); // trailing slash dropped
    EXPECT_EQ(c.nofile, 200000u);
    EXPECT_EQ(c.min_free_bytes, 10u << 20);
    EXPECT_EQ(config::parse_app_config("port: 9090\n", "b").listen_port, 9090);
    EXPECT_EQ(config::parse_app_config("", "b").name, "");
}

TEST(AppConfig, HostsAsAListOrGroupsOfLists) {
    config::AppConfig c = config::parse_app_config(
        "hosts:\n  web: [web1, web2]\n  canary: [web2]\n  db: []\n", "berth.yaml");
    EXPECT_EQ(c.hosts, (std::vector<std::string>{"web1", "web2"}));
    ASSERT_EQ(c.host_groups.size(), 3u);
    EXPECT_EQ(c.host_groups[1].name, "canary");
    EXPECT_EQ(c.host_groups[1].hosts, (std::vector<std::string>{"web2"}));
    EXPECT_TRUE(c.host_groups[2].hosts.empty());
    EXPECT_EQ(error_of("hosts: [a, b, a]\n"), "berth.yaml:1:15: 'hosts[2]' names 'a' twice");
    EXPECT_EQ(error_of("hosts:\n  web: [a, a]\n"),
              "berth.yaml:2:12: 'hosts.web[1]' names 'a' twice");
    EXPECT_EQ(error_of("hosts:\n  web: a\n"),
              "berth.yaml:2:8: 'hosts.web' must be a list ([a, b] or one '- item' per line)");
    EXPECT_EQ(error_of("hosts:\n  all: [a]\n"),
              "berth.yaml:2:3: 'hosts' has group 'all', a name every inventory has already: "
              "choose another");
    EXPECT_EQ(error_of("hosts:\n  web: [a]\n  web: [b]\n"),
              "berth.yaml:3:3: 'hosts' has group 'web' twice");
    EXPECT_EQ(error_of("hosts:\n  'web servers': [a]\n"),
              "berth.yaml:2:3: 'hosts' has group 'web servers': a group name is letters, "
              "digits, '_' and '-', starting with a letter or '_'");
    EXPECT_EQ(error_of("hosts:\n  web: ['a;b']\n"),
              "berth.yaml:2:9: 'hosts.web[0]' is not a [user@]host[:port] destination: 'a;b'");
}

TEST(AppConfig, ErrorsNameTheSpotAndWhatIsWrong) {
    EXPECT_EQ(error_of("name: shop\nport: eighty\n"),
              "berth.yaml:2:7: 'port' must be a whole number from 1 to 65535, not 'eighty'");
    EXPECT_EQ(error_of("nofile: -5\n"),
              "berth.yaml:1:9: 'nofile' must be a whole number from 1 to 1073741824, not '-5'");
    // YAML would read these as octal and hex: only plain decimals are numbers here.
    EXPECT_EQ(config::parse_app_config("nofile: 010\n", "b").nofile, 10u);
    EXPECT_NE(error_of("port: 0x50\n"), "");
    EXPECT_EQ(error_of("instal_dir: /opt/x\n"),
              "berth.yaml:1:1: unknown key 'instal_dir' (did you mean 'install_dir'?); "
              "docs/config.md lists every key");
    EXPECT_EQ(error_of("colour: red\n"),
              "berth.yaml:1:1: unknown key 'colour'; docs/config.md lists every key");
    EXPECT_EQ(error_of("name: a\nuser: b\nname: c\n"), "berth.yaml:3:1: 'name' is given twice");
    EXPECT_EQ(error_of("args: one\n"),
              "berth.yaml:1:7: 'args' must be a list ([a, b] or one '- item' per line)");
    EXPECT_EQ(error_of("user: [a]\n"),
              "berth.yaml:1:7: 'user' must be a single value, not a list or a mapping");
    EXPECT_EQ(error_of("name: [unclosed\n").rfind("berth.yaml:", 0), 0u);
    EXPECT_EQ(error_of("- a\n- b\n"), "berth.yaml:1:1: expected a mapping of keys");
}

TEST(AppConfig, NamesAndPathsThatWouldLeaveTheirPlaceAreRefused) {
    for (const char* bad : {"../../etc", "a/b", ".hidden", "-x", "a b", "a;b", "$(id)", ""})
        EXPECT_NE(error_of(std::string("name: '") + bad + "'\n"), "") << bad;
    EXPECT_NE(error_of("install_dir: opt/x\n"), "");
    EXPECT_NE(error_of("install_dir: /opt/../etc\n"), "");
    EXPECT_NE(error_of("log_dir: /var/log/./x\n"), "");
    EXPECT_NE(error_of("user: Root\n"), "");
    EXPECT_NE(error_of("user: 1abc\n"), "");
    EXPECT_NE(error_of("listen: '::1:80'\n"), "");
    EXPECT_EQ(error_of("name: my-app_2.x\nuser: _svc-1\n"), "");
    // The same checks guard flags: their errors name the flag.
    try {
        config::checked_name("../x", "--name");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--name: app name '../x'", 0), 0u) << e.what();
    }
}

TEST(AppConfig, CompletesFromTheNameOrTheBinary) {
    config::AppConfig c;
    config::complete_app_config(c, "/tmp/build/shop");
    EXPECT_EQ(c.name, "shop");
    EXPECT_EQ(c.install_dir, "/opt/shop");
    EXPECT_EQ(c.config_dir, "/etc/shop");
    EXPECT_EQ(c.log_dir, "/var/log/shop");
    EXPECT_EQ(c.exec, "/opt/shop/current/bin/shop");
    config::AppConfig d = config::parse_app_config("install_dir: /srv/x\n", "b");
    config::complete_app_config(d, "/bin/x");
    EXPECT_EQ(d.exec, "/srv/x/current/bin/x");
    config::AppConfig bad;
    EXPECT_THROW(config::complete_app_config(bad, "/tmp/my app"), InputError);
}

TEST(AppConfig, ListenAddresses) {
    auto l = config::parse_listen_address("8080");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->address, "");
    EXPECT_EQ(l->port, 8080);
    l = config::parse_listen_address("127.0.0.1:9000");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->address, "127.0.0.1");
    l = config::parse_listen_address("[::1]:443");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->address, "::1");
    EXPECT_EQ(l->port, 443);
    l = config::parse_listen_address(":80");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->address, "");
    EXPECT_FALSE(config::parse_listen_address("::1:443"));
    EXPECT_FALSE(config::parse_listen_address("host:99999"));
    EXPECT_FALSE(config::parse_listen_address("x"));
}

TEST(AppConfig, DocsTableListsEveryKeyTheLoaderReads) {
    // Every documented key is read (an unknown key is an error, a known one is not).
    for (const auto& k : config::config_keys()) {
        std::string err = error_of(std::string(k.key) + ": [x]\n");
        EXPECT_EQ(err.find("unknown key"), std::string::npos) << k.key << ": " << err;
    }
    std::ifstream in(test::source_dir() + "/docs/config.md");
    ASSERT_TRUE(in) << "docs/config.md missing";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find(config::config_keys_markdown()), std::string::npos)
        << "docs/config.md's table differs from config_keys(); paste this:\n"
        << config::config_keys_markdown();
}

} // namespace
} // namespace berth

namespace berth {
namespace {

TEST(AppConfigDeploy, ReadsTheDeployKeys) {
    config::AppConfig c = config::parse_app_config(R"(name: shop
binary: build/shop
version: v1.2.3+meta
environment_file: secrets.env
environment:
  LOG_LEVEL: debug
  PORT: "8080"
config_files:
  - {src: conf/shop.toml, dest: shop.toml}
  - {src: /abs/cert.pem, dest: /etc/shop/tls/cert.pem, mode: "0600"}
health:
  http: /healthz
  expect: 204
  interval: 500ms
  timeout: 1m
  passes: 2
  settle: 0
keep_releases: 3
create_user: false
hosts: [web1, "deploy@10.0.0.2:2222", "[::1]:22"]
ssh: [ProxyJump=bastion, StrictHostKeyChecking=accept-new]
sudo: yes
)",
                                                   "/srv/app/berth.yaml");
    EXPECT_EQ(c.binary, "/srv/app/build/shop"); // relative to berth.yaml
    EXPECT_EQ(c.version, "v1.2.3+meta");
    EXPECT_EQ(c.environment_file, "/srv/app/secrets.env");
    ASSERT_EQ(c.environment.size(), 2u);
    EXPECT_EQ(c.environment[1], (std::pair<std::string, std::string>{"PORT", "8080"}));
    ASSERT_EQ(c.config_files.size(), 2u);
    EXPECT_EQ(c.config_files[0].src, "/srv/app/conf/shop.toml");
    EXPECT_EQ(c.config_files[1].mode, 0600u);
    EXPECT_EQ(c.health.kind, config::HealthSpec::Kind::http);
    EXPECT_EQ(c.health.path, "/healthz");
    EXPECT_EQ(c.health.expect, 204);
    EXPECT_EQ(c.health.interval, std::chrono::milliseconds(500));
    EXPECT_EQ(c.health.timeout, std::chrono::milliseconds(60000));
    EXPECT_EQ(c.health.passes, 2);
    EXPECT_EQ(c.health.settle, std::chrono::milliseconds(0));
    EXPECT_EQ(c.keep_releases, 3);
    EXPECT_FALSE(c.create_user);
    EXPECT_EQ(c.hosts.size(), 3u);
    EXPECT_EQ(c.ssh_options[0], "ProxyJump=bastion");
    EXPECT_TRUE(c.sudo);
    config::complete_app_config(c, c.binary);
    EXPECT_EQ(c.config_files[0].dest, "/etc/shop/shop.toml");
    EXPECT_EQ(c.config_files[0].mode, 0644u); // no service user
    EXPECT_EQ(config::environment_path(c), "/etc/shop/env");
    EXPECT_TRUE(config::has_environment(c));
}

TEST(AppConfigDeploy, HealthUrlsAndTcp) {
    config::AppConfig a =
        config::parse_app_config("health: {http: 'https://[::1]:8443/ready'}\n", "b");
    EXPECT_TRUE(a.health.https);
    EXPECT_EQ(a.health.host, "::1");
    EXPECT_EQ(a.health.port, 8443);
    EXPECT_EQ(a.health.path, "/ready");
    config::AppConfig t = config::parse_app_config("health: {tcp: 9000}\n", "b");
    EXPECT_EQ(t.health.kind, config::HealthSpec::Kind::tcp);
    EXPECT_EQ(t.health.port, 9000);
}

TEST(AppConfigDeploy, DeployKeyErrorsNameTheSpot) {
    EXPECT_EQ(error_of("health:\n  http: /h\n  intervall: 1s\n"),
              "berth.yaml:3:3: unknown key 'intervall' in 'health' (did you mean 'interval'?)");
    EXPECT_EQ(error_of("health: {http: /h, interval: 5 minutes}\n"),
              "berth.yaml:1:30: 'health.interval' must be a duration from 50ms to 600s such as "
              "500ms, 5s or 2m, not '5 minutes'");
    EXPECT_EQ(error_of("health: {expect: 200}\n"),
              "berth.yaml:1:9: 'health' needs 'http' or 'tcp'");
    EXPECT_NE(error_of("health: {http: /h, tcp: 80}\n"), "");
    EXPECT_NE(error_of("health: {http: 'ftp://x:1/'}\n"), "");
    EXPECT_EQ(error_of("sudo: maybe\n"),
              "berth.yaml:1:7: 'sudo' must be true or false, not 'maybe'");
    EXPECT_EQ(error_of("config_files:\n  - {src: a}\n"),
              "berth.yaml:2:5: 'config_files[0]' needs 'src' and 'dest'");
    EXPECT_NE(error_of("config_files: [{src: a, dest: ../passwd}]\n"), "");
    // A mode is read as octal digits, quoted or not (yaml-cpp keeps the scalar's text).
    EXPECT_EQ(config::parse_app_config("config_files: [{src: a, dest: x, mode: 0750}]\n", "b")
                  .config_files[0]
                  .mode,
              0750u);
    EXPECT_NE(error_of("config_files: [{src: a, dest: x, mode: '0999'}]\n").find("octal mode"),
              std::string::npos);
    EXPECT_NE(error_of("environment: {1X: a}\n"), "");
    EXPECT_NE(error_of("environment: {A: a, A: b}\n"), "");
    EXPECT_NE(error_of("environment: [A]\n"), "");
    EXPECT_NE(error_of("hosts: [-oProxyCommand=x]\n"), "");
    EXPECT_NE(error_of("hosts: ['a;b']\n"), "");
    EXPECT_NE(error_of("ssh: [-v]\n"), "");
    EXPECT_NE(error_of("version: ../x\n"), "");
    EXPECT_NE(error_of("version: 'a b'\n"), "");
    EXPECT_NE(error_of("keep_releases: 1\n"), "");
    // A config file must stay inside the config directory.
    config::AppConfig c =
        config::parse_app_config("name: x\nconfig_files: [{src: a, dest: /etc/other/y}]\n", "b");
    EXPECT_THROW(config::complete_app_config(c, "x"), InputError);
}

} // namespace
} // namespace berth

namespace berth {
namespace {

TEST(AppConfig, RolloutKeys) {
    auto c = config::parse_app_config("rollout:\n  batch: [1, 25%]\n  pause: 2s\n  soak: 500ms\n"
                                      "  max_failures: 2\n  max_fail_percentage: 10\n"
                                      "  on_failure: rollback_all\n  forks: 4\n  preflight: all\n",
                                      "berth.yaml");
    const auto& r = c.rollout;
    ASSERT_EQ(r.batches.size(), 2u);
    EXPECT_EQ(r.batches[0].count, 1);
    EXPECT_EQ(r.batches[1].percent, 25);
    EXPECT_EQ(r.pause.count(), 2000);
    EXPECT_EQ(r.soak.count(), 500);
    EXPECT_EQ(r.max_failures, 2);
    EXPECT_EQ(r.max_fail_percentage, 10);
    EXPECT_TRUE(r.rollback_all);
    EXPECT_EQ(r.forks, 4);
    EXPECT_TRUE(r.preflight);
    EXPECT_EQ(config::parse_app_config("rollout:\n  batch: 3\n", "b").rollout.batches[0].count, 3);

    auto err = [](const std::string& yaml) {
        try {
            config::parse_app_config(yaml, "berth.yaml");
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(err("rollout:\n  batch: [1, 0]\n").find("berth.yaml:2:14: 'rollout.batch[1]'"),
              std::string::npos)
        << err("rollout:\n  batch: [1, 0]\n");
    EXPECT_NE(err("rollout:\n  batch: 120%\n").find("a percentage (25%)"), std::string::npos);
    EXPECT_NE(err("rollout:\n  on_failure: panic\n").find("stop or rollback_all"),
              std::string::npos);
    EXPECT_NE(err("rollout:\n  bach: 2\n").find("batch"), std::string::npos);
}

} // namespace
} // namespace berth
