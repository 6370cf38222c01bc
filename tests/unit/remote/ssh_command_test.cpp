// The ssh command line as ssh itself reads it (ssh -G: the configuration it would use, without
// connecting), and the control directory's privacy.
#include "remote/ssh_command.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

using namespace berth::remote;

namespace {

// What ssh makes of berth's argv: "-G -F /dev/null" go in after "ssh" (no user config).
std::map<std::string, std::string> ssh_reading(std::vector<std::string> argv) {
    argv.insert(argv.begin() + 1, {"-G", "-F", "/dev/null"});
    auto r = berth::test::run(argv);
    EXPECT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::string> config;
    for (const auto& line : berth::split_lines(r.out)) {
        auto space = line.find(' ');
        if (space != std::string::npos) config[line.substr(0, space)] = line.substr(space + 1);
    }
    return config;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

} // namespace

TEST(SshArgv, BerthsDefaultsAsSshReadsThem) {
    berth::test::TempDir tmp;
    SshOptions o;
    auto argv = ssh_argv(parse_destination("deploy@web1:2222"), o, tmp.path, {"true"});
    EXPECT_EQ(argv[0], "ssh");
    EXPECT_EQ(argv[1], "-o");
    EXPECT_EQ(argv[2], "BatchMode=yes");
    EXPECT_EQ(argv[argv.size() - 3], "--");
    EXPECT_EQ(argv[argv.size() - 2], "deploy@web1");
    EXPECT_EQ(argv.back(), "'true'");
    auto c = ssh_reading(argv);
    EXPECT_EQ(c["batchmode"], "yes");
    EXPECT_EQ(c["requesttty"], "false");
    EXPECT_EQ(c["connecttimeout"], "10");
    EXPECT_EQ(c["controlmaster"], "auto");
    EXPECT_EQ(c["controlpersist"], "60");
    EXPECT_EQ(c["serveraliveinterval"], "5");
    EXPECT_EQ(c["serveralivecountmax"], "3");
    EXPECT_EQ(c["port"], "2222");
    EXPECT_EQ(c["user"], "deploy");
    EXPECT_EQ(c["hostname"], "web1");
    EXPECT_EQ(c["controlpath"].rfind(tmp.path + "/", 0), 0u) << c["controlpath"];
}

TEST(SshArgv, UserOptionsOverrideDefaultsButNeverBatchMode) {
    berth::test::TempDir tmp;
    SshOptions o;
    o.options = {"BatchMode=no",      "RequestTTY=force",       "ConnectTimeout=3",
                 "ControlPersist=5s", "ServerAliveInterval=30", "ProxyJump=bastion.example.com"};
    o.connect_timeout = std::chrono::seconds(20);
    auto c = ssh_reading(ssh_argv(parse_destination("web1"), o, tmp.path, {"true"}));
    EXPECT_EQ(c["batchmode"], "yes");
    EXPECT_EQ(c["requesttty"], "false");
    EXPECT_EQ(c["connecttimeout"], "3");
    EXPECT_EQ(c["controlpersist"], "5");
    EXPECT_EQ(c["serveraliveinterval"], "30");
    EXPECT_EQ(c["proxyjump"], "bastion.example.com");
    EXPECT_EQ(c["port"], "22");
}

TEST(SshArgv, ControlPersistZeroIsNotForever) {
    berth::test::TempDir tmp;
    SshOptions o;
    o.control_persist = std::chrono::seconds(0);
    auto c = ssh_reading(ssh_argv(parse_destination("web1"), o, tmp.path, {"true"}));
    EXPECT_EQ(c["controlpersist"], "no");
}

TEST(SshArgv, SudoAndQuoting) {
    SshOptions o;
    o.sudo = true;
    auto argv = ssh_argv(parse_destination("web1"), o, "/tmp", {"berth", "agent", "it's"});
    EXPECT_EQ(argv.back(), "sudo -n -- 'berth' 'agent' 'it'\\''s'");
}

TEST(SshArgv, OptionsMustBeOneKeyValueWord) {
    for (std::string bad :
         {"-F/etc/passwd", "BatchMode no", "=x", "Batch-Mode=yes", "", "X=a\nb"}) {
        SCOPED_TRACE(bad);
        SshOptions o;
        o.options = {bad};
        EXPECT_THROW(ssh_argv(parse_destination("web1"), o, "/tmp", {"true"}), berth::InputError);
    }
}

TEST(ControlDir, MadePrivate) {
    berth::test::TempDir tmp;
    std::string dir = tmp.path + "/a/b";
    EXPECT_EQ(private_control_dir(dir), dir);
    EXPECT_EQ(mode_of(dir), 0700u);
    EXPECT_EQ(mode_of(tmp.path + "/a"), 0700u);
    ::chmod(dir.c_str(), 0755);
    EXPECT_EQ(private_control_dir(dir + "/"), dir);
    EXPECT_EQ(mode_of(dir), 0700u);
}

TEST(ControlDir, RefusesSymlinksOthersDirsAndLongPaths) {
    berth::test::TempDir tmp;
    std::string real = tmp.path + "/real", link = tmp.path + "/link";
    std::filesystem::create_directory(real);
    std::filesystem::create_directory_symlink(real, link);
    EXPECT_THROW(private_control_dir(link), berth::InputError);
    std::string theirs = tmp.path + "/theirs";
    std::filesystem::create_directory(theirs);
    // Someone else's directory (the tests run as root on CI, so chown works).
    ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
    EXPECT_THROW(private_control_dir(theirs), berth::InputError);
    EXPECT_THROW(private_control_dir("/tmp/" + std::string(60, 'x')), berth::InputError);
    EXPECT_THROW(private_control_dir("relative/dir"), berth::InputError);
    EXPECT_THROW(private_control_dir(tmp.path + "/with space"), berth::InputError);
}

TEST(ControlDir, DefaultIsUsable) {
    std::string dir = private_control_dir("");
    EXPECT_FALSE(dir.empty());
    EXPECT_EQ(mode_of(dir), 0700u);
}
