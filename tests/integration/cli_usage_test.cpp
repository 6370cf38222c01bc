// The command line itself: an unknown command is named with the list of commands; --version
// works after a command too; codes are case-insensitive end to end; every --help names what
// each value is (no CLI11 "TEXT"/"INT"); --color=auto|always|never (auto: colour only on a
// terminal, never with NO_COLOR or TERM=dumb); every error line starts "berth: ".
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

using namespace berth::test;

namespace {

// Runs berth in a pseudo-terminal (script(1)) with the environment given.
CommandResult on_tty(const std::vector<std::string>& env, const std::string& args) {
    std::vector<std::string> argv = {"env", "-u", "NO_COLOR", "-u", "TERM"};
    argv.insert(argv.end(), env.begin(), env.end());
    for (const auto& a : {"script", "-qec"}) argv.push_back(a);
    argv.push_back(berth_exe() + " " + args);
    argv.push_back("/dev/null");
    return run(argv);
}

} // namespace

TEST(CliUsage, UnknownCommandIsNamedWithTheList) {
    auto r = run({berth_exe(), "bogus"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    ASSERT_EQ(lines(r.err).size(), 1u) << r.err;
    EXPECT_TRUE(r.err.starts_with("berth: unknown command 'bogus'")) << r.err;
    for (const char* c : {"inspect", "ldd", "check", "explain", "unit", "facts", "deploy"})
        EXPECT_NE(r.err.find(c), std::string::npos) << c << " not listed: " << r.err;
    // Also after a global option, and for a subcommand's own subcommands.
    auto after = run({berth_exe(), "--color", "never", "bogus"});
    EXPECT_TRUE(after.err.starts_with("berth: unknown command 'bogus'")) << after.err;
    auto unit = run({berth_exe(), "unit", "lnt", "x.service"});
    EXPECT_EQ(unit.status, 2);
    EXPECT_TRUE(unit.err.starts_with("berth: unknown command 'unit lnt'")) << unit.err;
    EXPECT_NE(unit.err.find("lint"), std::string::npos) << unit.err;
    EXPECT_NE(unit.err.find("generate"), std::string::npos) << unit.err;
    // No command at all: the same list.
    auto none = run({berth_exe()});
    EXPECT_EQ(none.status, 2);
    EXPECT_TRUE(none.err.starts_with("berth: a command is required")) << none.err;
}

TEST(CliUsage, VersionAfterACommand) {
    auto top = run({berth_exe(), "--version"});
    EXPECT_EQ(top.status, 0);
    EXPECT_TRUE(top.out.starts_with("berth ")) << top.out;
    // Every command, also those whose arguments are required, also the hidden agent (which
    // would otherwise wait for requests on stdin).
    for (std::vector<std::string> args : {std::vector<std::string>{"inspect", "--version"},
                                          {"ldd", "--version"},
                                          {"check", "--version"},
                                          {"check", "x", "--version"},
                                          {"explain", "--version"},
                                          {"unit", "--version"},
                                          {"unit", "lint", "--version"},
                                          {"unit", "generate", "--version"},
                                          {"facts", "--version"},
                                          {"init", "--version"},
                                          {"deploy", "--version"},
                                          {"rollback", "--version"},
                                          {"releases", "--version"},
                                          {"status", "--version"},
                                          {"agent", "session", "--version"}}) {
        args.insert(args.begin(), berth_exe());
        auto r = run(args);
        EXPECT_EQ(r.status, 0) << args[1] << ": " << r.err;
        EXPECT_EQ(r.out, top.out) << args[1];
    }
}

TEST(CliUsage, ExplainIsCaseInsensitive) {
    auto upper = run({berth_exe(), "explain", "B104"});
    auto lower = run({berth_exe(), "explain", "b104"});
    EXPECT_EQ(lower.status, 0) << lower.err;
    EXPECT_EQ(lower.out, upper.out);
    EXPECT_TRUE(lower.out.starts_with("B104 (error)")) << lower.out;
    // Every code of the catalogue (B1xx, H2xx, U3xx, D4xx), in lower and in mixed case.
    auto all = run({berth_exe(), "explain", "--all"});
    ASSERT_EQ(all.status, 0);
    std::set<char> families;
    for (const auto& l : lines(all.out)) {
        std::string code = l.substr(0, l.find(' '));
        families.insert(code[0]);
        std::string low = code, mixed = code;
        for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        mixed[0] = low[0];
        auto want = run({berth_exe(), "explain", code});
        EXPECT_EQ(want.status, 0) << code;
        EXPECT_TRUE(want.out.starts_with(code + " (")) << want.out;
        EXPECT_EQ(run({berth_exe(), "explain", low}).out, want.out) << low;
        EXPECT_EQ(run({berth_exe(), "explain", mixed}).out, want.out) << mixed;
    }
    EXPECT_EQ(families, (std::set<char>{'B', 'D', 'H', 'U'}));
    auto json = run({berth_exe(), "explain", "--json", "u301"});
    EXPECT_EQ(json.status, 0) << json.err;
    EXPECT_NE(json.out.find("\"code\": \"U301\""), std::string::npos) << json.out;
    auto unknown = run({berth_exe(), "explain", "b999"});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_TRUE(unknown.err.starts_with("berth: unknown code 'b999'")) << unknown.err;
}

// Every command's --help: each option and positional says what its value is.
TEST(CliUsage, HelpNamesEveryValue) {
    std::vector<std::vector<std::string>> commands = {{}};
    auto top = run({berth_exe(), "--help"});
    ASSERT_EQ(top.status, 0);
    for (const auto& c : help_entries(top.out, "Subcommands:")) {
        commands.push_back({c});
        auto sub = run({berth_exe(), c, "--help"});
        for (const auto& s : help_entries(sub.out, "Subcommands:")) commands.push_back({c, s});
    }
    // The hidden agent too: its values are named like the others'.
    commands.push_back({"agent"});
    commands.push_back({"agent", "session"});
    commands.push_back({"agent", "install-self"});
    for (const char* c : {"inspect", "ldd", "check", "explain", "unit", "facts", "init", "deploy",
                          "rollback", "releases", "status"})
        EXPECT_NE(std::find(commands.begin(), commands.end(), std::vector<std::string>{c}),
                  commands.end())
            << c << " not in berth --help";
    EXPECT_NE(
        std::find(commands.begin(), commands.end(), std::vector<std::string>{"unit", "generate"}),
        commands.end());
    EXPECT_NE(top.out.find("--color WHEN"), std::string::npos) << top.out;
    // CLI11's defaults: the type, not what the value is.
    const std::regex generic(R"(\b(TEXT|INT|UINT|FLOAT|NUMBER|BOOLEAN)\b)");
    for (const auto& c : commands) {
        std::vector<std::string> argv = {berth_exe()};
        argv.insert(argv.end(), c.begin(), c.end());
        argv.push_back("--help");
        auto r = run(argv);
        std::string shown;
        for (const auto& w : c) shown += w + " ";
        EXPECT_EQ(r.status, 0) << shown;
        for (const auto& l : lines(r.out)) {
            if (l.starts_with("  --description TEXT")) continue; // it is text
            EXPECT_FALSE(std::regex_search(l, generic)) << shown << "--help: " << l;
        }
    }
}

TEST(CliUsage, ColorOption) {
    const std::string args = "check " + fixture("go/arm64"); // B101: an error, in red
    // auto (the default): a terminal gets colour, unless NO_COLOR or TERM=dumb.
    EXPECT_NE(on_tty({"TERM=xterm"}, args).out.find("\033["), std::string::npos);
    EXPECT_EQ(on_tty({"TERM=dumb"}, args).out.find('\033'), std::string::npos);
    EXPECT_EQ(on_tty({"TERM=xterm", "NO_COLOR=1"}, args).out.find('\033'), std::string::npos);
    EXPECT_EQ(on_tty({}, args).out.find('\033'), std::string::npos); // no TERM: as dumb
    EXPECT_NE(on_tty({"TERM=xterm", "NO_COLOR="}, args).out.find("\033["), std::string::npos);
    EXPECT_EQ(on_tty({"TERM=xterm"}, "--color never " + args).out.find('\033'), std::string::npos);
    EXPECT_EQ(on_tty({"TERM=xterm"}, args + " --color=never").out.find('\033'), std::string::npos);
    // always: also into a file, also with TERM=dumb or NO_COLOR (the command line wins).
    auto always = run({"env", "TERM=dumb", "NO_COLOR=1", berth_exe(), "--color=always", "check",
                       fixture("go/arm64")});
    EXPECT_NE(always.out.find("\033[1;31m"), std::string::npos) << always.out;
    EXPECT_EQ(on_tty({"TERM=dumb"}, "--color always " + args).out,
              on_tty({"TERM=xterm"}, args).out);
    // unit lint's findings the same way.
    TempDir dir;
    write_file(dir.path + "/a.service", "[Service]\nExecStart=/bin/true\nBogus=1\n");
    const std::string lint = "unit lint " + dir.path + "/a.service";
    EXPECT_NE(on_tty({"TERM=xterm"}, lint).out.find("\033["), std::string::npos);
    EXPECT_EQ(on_tty({"TERM=dumb"}, lint).out.find('\033'), std::string::npos);
    EXPECT_NE(run({berth_exe(), "unit", "lint", "--color", "always", dir.path + "/a.service"})
                  .out.find("\033["),
              std::string::npos);
    auto plain = run({berth_exe(), "--color=auto", "check", fixture("go/arm64")});
    EXPECT_NE(plain.out.find("B101"), std::string::npos);
    EXPECT_EQ(plain.out.find('\033'), std::string::npos);
    auto bad = run({berth_exe(), "--color=sometimes", "check", fixture("go/arm64")});
    EXPECT_EQ(bad.status, 2);
    EXPECT_TRUE(bad.err.starts_with("berth: ")) << bad.err;
}

// Usage errors, input errors, I/O errors: one form, "berth: what".
TEST(CliUsage, OneErrorPrefix) {
    TempDir dir;
    write_file(dir.path + "/notes.txt", "not ELF\n");
    const std::string missing = dir.path + "/missing";
    const std::vector<std::vector<std::string>> cases = {
        {"inspect"},
        {"inspect", "--bogus", missing},
        {"inspect", missing},
        {"ldd", dir.path + "/notes.txt"},
        {"check", missing},
        {"check", "--fail-on", "never", missing},
        {"unit", "lint", missing},
        {"unit", "generate", "--port", "0", "--name", "x"},
        {"explain", "X1"},
        {"facts", "--libraries"},
        {"facts", "--root", missing},
        {"init", missing, "-o", "-"},
        {"init", "--bogus"},
        {"deploy", "--config", missing},
        {"deploy", "--settle", "soon"},
        {"rollback", "--to"},
        {"releases", "--config", missing},
        {"status", "--config", missing},
        {"unit"},
        {"--color", "sometimes", "inspect", missing},
    };
    for (auto c : cases) {
        std::string shown = c[0];
        c.insert(c.begin(), berth_exe());
        auto r = run(c);
        EXPECT_EQ(r.status, 2) << shown << ": " << r.err;
        ASSERT_FALSE(r.err.empty()) << shown;
        EXPECT_TRUE(r.err.starts_with("berth: ")) << shown << ": " << r.err;
        EXPECT_EQ(r.err.find("berth " + shown + ":"), std::string::npos) << r.err;
        EXPECT_EQ(lines(r.err).size(), 1u) << shown << ": " << r.err;
    }
}
