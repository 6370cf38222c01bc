// Quoting against the real shells: every hostile word, quoted, reaches printf as the same bytes,
// and nothing in it runs.
#include "remote/ssh_command.hpp"
#include "remote/transport.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using berth::remote::remote_command_line;
using berth::remote::shell_quote;

namespace {

std::vector<std::string> hostile_words(const std::string& canary) {
    return {
        "",
        "plain",
        "two words",
        "  leading and trailing  ",
        "it's",
        "'",
        "''",
        "'\\''",
        "\"double\"",
        "a;touch " + canary,
        "$(touch " + canary + ")",
        "`touch " + canary + "`",
        "${HOME}",
        "$HOME",
        "\\",
        "back\\slash\\",
        "line\nbreak",
        "\n",
        "tab\there",
        "*",
        "/*",
        "?",
        "[a-z]*",
        "~",
        "~root",
        "a|b&c>d<e",
        "!event",
        "#comment",
        "-n",
        "--",
        "%s%n",
        "FOO=bar",
        "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93",
        "invalid \xff\xfe \xc3( \x80",
        "\x01\x02\x1b[31m",
        std::string(10000, '\''),
    };
}

} // namespace

TEST(ShellQuote, HostileWordsArriveLiterallyThroughRealShells) {
    berth::test::TempDir tmp;
    const std::string canary = tmp.path + "/pwned";
    for (const char* shell : {"/bin/sh", "/bin/bash"}) {
        for (const auto& word : hostile_words(canary)) {
            SCOPED_TRACE(std::string(shell) + ": " + word.substr(0, 40));
            auto r = berth::test::run({shell, "-c", "printf '%s\\n' " + shell_quote(word)});
            EXPECT_EQ(r.status, 0) << r.err;
            EXPECT_EQ(r.out, word + "\n");
            EXPECT_EQ(r.err, "");
        }
    }
    EXPECT_FALSE(std::filesystem::exists(canary));
}

TEST(ShellQuote, CommandLineKeepsEveryWordApart) {
    berth::test::TempDir tmp;
    const std::string canary = tmp.path + "/pwned";
    std::vector<std::string> argv = {"printf", "%s\\0"};
    for (const auto& w : hostile_words(canary)) argv.push_back(w);
    auto r = berth::test::run({"/bin/sh", "-c", remote_command_line(argv, false)});
    EXPECT_EQ(r.status, 0) << r.err;
    std::string expected;
    for (std::size_t i = 2; i < argv.size(); ++i) expected += argv[i] + std::string(1, '\0');
    EXPECT_EQ(r.out, expected);
    EXPECT_FALSE(std::filesystem::exists(canary));
}

TEST(ShellQuote, Form) {
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(remote_command_line({"a b", "c"}, true), "sudo -n -- 'a b' 'c'");
}

TEST(ShellQuote, NulIsRefused) {
    EXPECT_THROW(shell_quote(std::string("a\0b", 3)), berth::InputError);
    EXPECT_THROW(remote_command_line({"echo", std::string("\0", 1)}, false), berth::InputError);
    EXPECT_THROW(remote_command_line({}, false), berth::InputError);
}
