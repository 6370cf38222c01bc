// Destinations: what parse_destination accepts must mean to ssh what it means to berth (ssh -G
// prints the user, host name and port ssh would use, without connecting); what it refuses is
// what ssh could read as an option or no user or host has.
#include "remote/ssh_command.hpp"
#include "remote/transport.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

#include <map>

using berth::remote::Destination;
using berth::remote::parse_destination;

namespace {

// ssh's own reading of the destination: `ssh -G` with no config file.
std::map<std::string, std::string> ssh_reading(const Destination& d) {
    std::vector<std::string> argv = {"ssh", "-G", "-F", "/dev/null"};
    if (d.port) argv.insert(argv.end(), {"-p", std::to_string(d.port)});
    argv.insert(argv.end(), {"--", d.ssh_target()});
    auto r = berth::test::run(argv);
    EXPECT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::string> config;
    for (const auto& line : berth::split_lines(r.out)) {
        auto space = line.find(' ');
        if (space != std::string::npos) config[line.substr(0, space)] = line.substr(space + 1);
    }
    return config;
}

} // namespace

TEST(Destination, AcceptedFormsMeanTheSameToSsh) {
    struct Case {
        std::string text, user, host;
        int port;
    };
    const Case cases[] = {
        {"web1", "", "web1", 0},
        {"deploy@web1.example.com", "deploy", "web1.example.com", 0},
        {"root@10.0.0.7:2222", "root", "10.0.0.7", 2222},
        {"my_box", "", "my_box", 0}, // an ssh_config alias
        {"[::1]:22", "", "::1", 22},
        {"admin@[fe80::1%eth0]:2200", "admin", "fe80::1%eth0", 2200},
        {"[2001:db8::5]", "", "2001:db8::5", 0},
        {"::1", "", "::1", 0},
        {"first.last@REALM@host", "first.last@REALM", "host", 0},
        {"svc$@h-1:65535", "svc$", "h-1", 65535},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        Destination d = parse_destination(c.text);
        EXPECT_EQ(d.user, c.user);
        EXPECT_EQ(d.host, c.host);
        EXPECT_EQ(d.port, c.port);
        // text() reads back as the same destination.
        Destination again = parse_destination(d.text());
        EXPECT_EQ(again.user, d.user);
        EXPECT_EQ(again.host, d.host);
        EXPECT_EQ(again.port, d.port);
        auto ssh = ssh_reading(d);
        EXPECT_EQ(ssh["hostname"], c.host);
        EXPECT_EQ(ssh["port"], std::to_string(c.port ? c.port : 22));
        if (!c.user.empty()) {
            EXPECT_EQ(ssh["user"], c.user);
        }
    }
}

TEST(Destination, TextAndTarget) {
    EXPECT_EQ(parse_destination("root@h:2222").text(), "root@h:2222");
    EXPECT_EQ(parse_destination("root@h:2222").ssh_target(), "root@h");
    EXPECT_EQ(parse_destination("[::1]:22").text(), "[::1]:22");
    EXPECT_EQ(parse_destination("[::1]").text(), "[::1]");
    EXPECT_EQ(parse_destination("::1").text(), "[::1]");
    // Found by the fuzz target: "ad@[fe:1]" read back from "ad@fe:1" as host "fe", port 1.
    // Brackets now always, and only what inet_pton takes for an IPv6 address.
    EXPECT_EQ(parse_destination("u@[fe::1]").text(), "u@[fe::1]");
    EXPECT_THROW(parse_destination("ad@[fe:1]"), berth::InputError);
    EXPECT_EQ(parse_destination("h").ssh_target(), "h");
}

TEST(Destination, RefusesWhatSshCouldReadAsAnOptionOrNoNameHas) {
    const std::string refused[] = {
        "",
        "-oProxyCommand=touch /tmp/pwned",
        "-p22",
        "root@-oProxyCommand=x",
        "-root@host",
        "@host",
        "root@",
        "host:",
        "host:0",
        "host:65536",
        "host:22a",
        "host:+22",
        "host:099999",
        "us er@host",
        "host;id",
        "host$(id)",
        "`id`@host",
        "host/x",
        ".host",
        "ho\nst",
        "host\t",
        "[::1",
        "[host]:22",
        "[::1]x",
        "[::1]:",
        "[fe80::1%]:22",
        "a:b:c:zz",
        "[1:2]:22",
        "[::1::2]",
        "1:2:3",
        "ssh://host",
        "user'@host",
        std::string("ho\0st", 5),
        std::string("[fe80::\0\t$%eth0]:22", 19), // found by the fuzz target
        std::string(600, 'a'),
        "h\xc3\xa9te",
    };
    for (const auto& text : refused) {
        SCOPED_TRACE(text);
        EXPECT_THROW(parse_destination(text), berth::InputError);
    }
}

TEST(Destination, MessageSaysWhy) {
    try {
        parse_destination("-oProxyCommand=x");
        FAIL();
    } catch (const berth::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("option"), std::string::npos) << e.what();
    }
}
